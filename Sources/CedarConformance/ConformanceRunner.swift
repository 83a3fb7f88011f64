import Cedar
import Foundation

/// Runs Cedar conformance tests: every integration-test JSON file under a directory,
/// and example use-case folders (`policies.cedar`, `entities.json`, `ALLOW/`, `DENY/`).
///
/// Each request is decided by Writ's `Authorizer` and compared with the expected
/// decision, reason set and error set.
public struct ConformanceRunner: Sendable {
    /// What the runner can do; tests that need more are reported as not applicable.
    public struct Capabilities: Sendable {
        /// Whether entities and contexts can be read with a schema and requests validated
        /// against it. Without it, every request of a test with a schema is not applicable.
        public var schemaBasedParsing: Bool
        public init(schemaBasedParsing: Bool) { self.schemaBasedParsing = schemaBasedParsing }
        /// What this build of Writ supports.
        public static let current = Capabilities(schemaBasedParsing: true)
    }

    public let root: URL
    public let capabilities: Capabilities

    /// A runner over the tests under `root`.
    public init(root: URL, capabilities: Capabilities = .current) {
        self.root = root.standardizedFileURL
        self.capabilities = capabilities
    }

    /// Finds and runs every test under `root`. Files are visited in sorted order so
    /// reports are deterministic.
    public func run() -> ConformanceReport {
        var report = ConformanceReport()
        for suite in discover() {
            switch suite {
            case .integration(let url): runIntegrationFile(url, into: &report)
            case .exampleFolder(let url): runExampleFolder(url, into: &report)
            }
        }
        return report
    }

    enum Suite {
        case integration(URL)
        case exampleFolder(URL)
    }

    func discover() -> [Suite] {
        guard let walker = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
        else { return [] }
        var suites: [Suite] = []
        for case let url as URL in walker {
            let name = url.lastPathComponent
            if name.hasSuffix(".json"), !name.hasSuffix(".entities.json"), name != "entities.json",
                !url.path.contains("/ALLOW/"), !url.path.contains("/DENY/"), !url.path.contains("/sample-data/"),
                !name.hasSuffix(".cedarschema.json")
            {
                suites.append(.integration(url))
            } else if name == "policies.cedar" {
                let folder = url.deletingLastPathComponent()
                let fm = FileManager.default
                if fm.fileExists(atPath: folder.appendingPathComponent("ALLOW").path)
                    || fm.fileExists(atPath: folder.appendingPathComponent("DENY").path)
                {
                    suites.append(.exampleFolder(folder))
                }
            }
        }
        return suites.sorted { $0.sortKey < $1.sortKey }
    }

    func relativeName(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    /// Resolves a path written inside a test file: relative to the test's folder or any
    /// folder above it, up to the parent of the run's root (the integration tests write
    /// paths relative to `handwritten/` or to the folder holding `corpus-tests/`).
    func resolve(_ path: String, from file: URL) -> URL? {
        var dir = file.deletingLastPathComponent().standardizedFileURL
        let stop = root.deletingLastPathComponent().standardizedFileURL.path
        while true {
            let candidate = dir.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            if dir.path == stop || dir.path == "/" { return nil }
            dir = dir.deletingLastPathComponent().standardizedFileURL
        }
    }
}

extension ConformanceRunner.Suite {
    var sortKey: String {
        switch self {
        case .integration(let u), .exampleFolder(let u): return u.path
        }
    }
}
