import ArgumentParser
import Cedar

/// `writ cedar format`: print policies in Writ's canonical layout.
struct CedarFormat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format",
        abstract: "Print Cedar policies in canonical form (the output parses back to the same policies).",
        discussion: "Exits 0 on success, 1 when the input does not parse."
    )

    @Argument(help: "A policy file (.cedar); - reads standard input.")
    var file: String

    @Flag(help: "Print the JSON policy format instead of Cedar text.")
    var json = false

    func run() async throws {
        do {
            let text = try PolicyFiles.read(file)
            let policies: [Policy]
            do {
                policies = try PolicyParser.parsePolicies(text)
            } catch {
                throw InputError("\(file):\(error)")
            }
            if json {
                let set = try PolicySet(policies)
                print(PolicyJSON.encode(
                    PolicyJSON.Document(staticPolicies: set.policies, templates: set.templates), pretty: true))
            } else {
                print(PolicyFormatter.format(policies), terminator: "")
            }
        } catch let error as InputError {
            printError(error.description)
            throw WritExit.badInput
        }
    }
}
