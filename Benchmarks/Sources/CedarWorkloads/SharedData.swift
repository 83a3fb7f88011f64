import Foundation

/// Finds the shared benchmark data: the OOPSLA'24 Cedar policy sets and schemas.
///
/// The shared folder is `$WRIT_SHARED` when that is set, and otherwise the `shared`
/// folder next to the repository this package sits in (`<repo>/../shared`).
public enum SharedData {
    /// The folder holding `gdrive/`, `github/`, `tinytodo/` and the template variants.
    public static func oopslaBenchmarks() throws(WorkloadError) -> URL {
        let folder = sharedFolder().appending(path: "conformance/cedar/examples/oopsla2024-benchmarks/benches")
        guard FileManager.default.fileExists(atPath: folder.path(percentEncoded: false)) else {
            throw WorkloadError(
                .missingSharedData,
                "the oopsla'24 benchmarks are not at `\(folder.path(percentEncoded: false))`; "
                    + "set WRIT_SHARED to the shared folder")
        }
        return folder
    }

    /// The shared folder itself.
    public static func sharedFolder() -> URL {
        if let override = ProcessInfo.processInfo.environment["WRIT_SHARED"], !override.isEmpty {
            return URL(filePath: override, directoryHint: .isDirectory)
        }
        // This file is <repo>/Benchmarks/Sources/CedarWorkloads/SharedData.swift.
        let repository = URL(filePath: #filePath)
            .deletingLastPathComponent()  // CedarWorkloads
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // Benchmarks
            .deletingLastPathComponent()  // the repository
        return repository.deletingLastPathComponent().appending(path: "shared", directoryHint: .isDirectory)
    }

    /// Reads a text file, naming it in the error.
    static func read(_ url: URL) throws(WorkloadError) -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw WorkloadError(.missingSharedData, "cannot read `\(url.path(percentEncoded: false))`: \(error)")
        }
    }
}
