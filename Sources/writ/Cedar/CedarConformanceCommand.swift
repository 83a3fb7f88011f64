import ArgumentParser
import CedarConformance
import Foundation

/// `writ cedar conformance DIR`: run Cedar's conformance tests and print `N passed, M failed`.
struct CedarConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run Cedar conformance test files (the cedar-integration-tests format) under a directory.",
        discussion: """
            Decides every request and compares decision, reasons and errors. Prints the first failures \
            and ends with the line `N passed, M failed` (`, K skipped` for requests that need a capability \
            this build lacks). Exits 0 when nothing failed, 1 otherwise.
            """
    )

    @Argument(help: "A directory of test files (searched recursively), or a .tar.gz of one.")
    var directory: String

    @Option(help: "How many failures to explain.")
    var explain = 10

    func run() async throws {
        let report = try ConformanceArchive.withUnpacked(directory) { root in
            ConformanceRunner(root: URL(fileURLWithPath: root)).run()
        }
        print(report.rendered(maxFailures: explain))
        if !report.succeeded { throw WritExit.badInput }
    }
}
