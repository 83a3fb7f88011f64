import ArgumentParser
import Cedar

/// `writ cedar validate`: check policies against a schema with Cedar's strict validator.
struct CedarValidate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate Cedar policies against a schema; report problems as file:line:column.",
        discussion: "Exits 0 when the policies validate (warnings allowed), 2 when they do not, and 1 on bad input."
    )

    @Option(help: "Cedar schema file (.cedarschema text, or the JSON schema format if it ends in .json).")
    var schema: String

    @Option(help: "Cedar policy file (.cedar text, or the JSON policy format if it ends in .json).")
    var policies: String

    func run() async throws {
        let result: ValidationResult
        do {
            result = Validator(schema: try readSchema()).validate(try PolicyFiles.policySet(policies))
        } catch let error as InputError {
            printError(error.description)
            throw WritExit.badInput
        }
        for diagnostic in result.diagnostics { print(render(diagnostic)) }
        if !result.passed { throw WritExit.invalid }
    }

    private func readSchema() throws -> Schema {
        let text = try PolicyFiles.read(schema)
        do {
            return schema.hasSuffix(".json") ? try Schema(json: text) : try Schema(cedarSchema: text)
        } catch {
            throw InputError("\(schema): \(error)")
        }
    }

    /// `file:line:column: error: message (help) [code, policy id]`.
    private func render(_ d: ValidationDiagnostic) -> String {
        var line = policies
        if let span = d.span { line += ":\(span.start.line):\(span.start.column)" }
        line += ": \(d.severity.rawValue): \(d.message)"
        if let help = d.help { line += " (\(help))" }
        return line + " [\(d.code), policy `\(d.policyID)`]"
    }
}

extension WritExit {
    /// The policies did not validate against the schema.
    static let invalid = ExitCode(2)
}
