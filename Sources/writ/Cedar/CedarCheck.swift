import ArgumentParser
import Cedar

/// `writ cedar check`: parse policy files and report every error with its position.
struct CedarCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that Cedar policy files parse; report errors as file:line:column.",
        discussion: "Exits 0 when every file parses, 1 otherwise."
    )

    @Argument(help: "Policy files (.cedar, or .json in the JSON policy format); - reads standard input.")
    var files: [String]

    func run() async throws {
        var failed = false
        for file in files {
            do {
                let set = try PolicyFiles.policySet(file)
                print("\(file): \(set.policies.count) policies, \(set.templates.count) templates")
            } catch let error as InputError {
                printError(error.description)
                failed = true
            }
        }
        if failed { throw WritExit.badInput }
    }
}
