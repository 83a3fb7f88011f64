import ArgumentParser
import Cedar

/// `writ schema translate`: convert a schema between the human and the JSON format.
struct SchemaTranslate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translate",
        abstract: "Translate a Cedar schema between the human (.cedarschema) and the JSON format.",
        discussion: """
            The input format follows the file name (.json is the JSON format) unless --from says otherwise; \
            the output is the other format. The schema must also resolve (every name defined). \
            Exits 0 on success, 1 on bad input.
            """
    )

    enum Format: String, ExpressibleByArgument { case cedar, json }

    @Argument(help: "The schema file; - reads standard input.")
    var file: String

    @Option(help: "The input format: cedar or json (default: from the file name).")
    var from: Format?

    func run() async throws {
        do {
            let text = try PolicyFiles.read(file)
            let input = from ?? (file.hasSuffix(".json") ? .json : .cedar)
            do {
                let fragment = input == .json
                    ? try SchemaFragment.parse(json: text) : try SchemaFragment.parse(cedarSchema: text)
                _ = try fragment.resolve()
                print(input == .json ? try fragment.cedarSchemaText : fragment.jsonText(pretty: true))
            } catch {
                throw InputError("\(file): \(error)")
            }
        } catch let error as InputError {
            printError(error.description)
            throw WritExit.badInput
        }
    }
}
