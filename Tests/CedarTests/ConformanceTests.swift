import CedarConformance
import Foundation
import WritTestSupport
import WritProcess
import Testing

/// Where the shared conformance data lives: `WRIT_SHARED`, else `../shared` beside the repository.
enum SharedData {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let root: URL = {
        if let env = ProcessInfo.processInfo.environment["WRIT_SHARED"] { return URL(fileURLWithPath: env) }
        return repository.deletingLastPathComponent().appendingPathComponent("shared")
    }()
    static let cedar = root.appendingPathComponent("conformance/cedar")
}

/// Runs the official Cedar integration tests through the same runner `writ cedar conformance` uses.
@Suite(.serialized) struct CedarConformanceSuites {
    private func run(_ path: String) throws -> ConformanceReport {
        let target = SharedData.cedar.appendingPathComponent(path)
        let report = try ConformanceArchive.withUnpacked(target.path) { root in
            ConformanceRunner(root: URL(fileURLWithPath: root)).run()
        }
        print("cedar conformance \(path):\n\(report.rendered())")
        return report
    }

    @Test func corpusDecisionsReasonsAndErrorsMatchRustCedar() throws {
        let report = try run("corpus-dev.tar.gz")
        #expect(report.loadErrors.isEmpty)
        #expect(report.failed == 0)
        #expect(report.notApplicableCount == 0)
        #expect(report.passed == 31_656)
    }

    @Test func handwrittenTestsPassWithSchemaBasedParsing() throws {
        let report = try run("handwritten")
        #expect(report.loadErrors.isEmpty)
        #expect(report.failed == 0)
        #expect(report.notApplicableCount == 0)
        #expect(report.passed == 74)
    }

    @Test func exampleUseCasesPassWithSchemaBasedParsing() throws {
        let report = try run("examples/cedar-example-use-cases")
        #expect(report.loadErrors.isEmpty)
        #expect(report.failed == 0)
        #expect(report.notApplicableCount == 0)
        #expect(report.passed == 46)
    }
}

/// Generates random policies, entities and requests, asks Rust Cedar (cedarpy) for the
/// answers, and checks that Writ gives the same decision, reasons and errors.
@Suite struct DifferentialAgainstRustCedar {
    static let cedarpyAvailable: Bool = {
        let python = try? ChildProcess(
            executable: "/usr/bin/env", arguments: ["python3", "-c", "import cedarpy"],
            standardInput: .null, standardError: .null)
        return python?.waitUntilExit() == .exited(0)
    }()

    /// In CI a missing cedarpy is a failure; on a developer machine the test explains and skips.
    static var shouldRun: Bool { cedarpyAvailable || ProcessInfo.processInfo.environment["CI"] != nil }

    @Test(.enabled(if: shouldRun, "pip install cedarpy to compare with Rust Cedar"))
    func writAgreesWithRustCedarOnTwelveThousandRandomRequests() throws {
        #expect(Self.cedarpyAvailable, "cedarpy is not installed")
        let seed = ProcessInfo.processInfo.environment["WRIT_DIFF_SEED"] ?? "1"
        let out = URL(fileURLWithPath: ScratchDirectory.path("writ-diff"))
        let generator = try ChildProcess(
            executable: "/usr/bin/env",
            arguments: [
                "python3", SharedData.repository.appendingPathComponent("Tests/Differential/generate.py").path,
                "--seed", seed, "--tests", "1000", "--requests-per-test", "12", "--out", out.path,
            ],
            standardInput: .null, standardOutput: .null)
        #expect(generator.waitUntilExit() == .exited(0))
        let report = ConformanceRunner(root: out).run()
        print("differential (seed \(seed)):\n\(report.rendered())")
        #expect(report.loadErrors.isEmpty)
        #expect(report.failed == 0)
        #expect(report.passed == 12_000)
        if report.failed == 0 { try? FileManager.default.removeItem(at: out) }
    }
}
