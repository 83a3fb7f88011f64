import ArgumentParser
import Cedar

/// `writ cedar authorize`: decide one request; exit 0 on allow, 2 on deny.
struct CedarAuthorize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authorize",
        abstract: "Decide one request against Cedar policies.",
        discussion: "Exits 0 when the request is allowed, 2 when denied, and 1 on bad input."
    )

    @Option(help: "Cedar policy file (.cedar text, or the JSON policy format if it ends in .json).")
    var policies: String

    @Option(help: "Cedar entities file (JSON).")
    var entities: String?

    @Option(help: "A request as JSON: {\"principal\": {\"type\", \"id\"}, \"action\", \"resource\", \"context\"}.")
    var requestJSON: String?

    @Option(help: "The principal, e.g. 'User::\"alice\"'.")
    var principal: String?
    @Option(help: "The action, e.g. 'Action::\"view\"'.")
    var action: String?
    @Option(help: "The resource, e.g. 'Photo::\"p1\"'.")
    var resource: String?
    @Option(help: "The context as a JSON object (file path).")
    var context: String?

    @Flag(help: "Print the answer as JSON.")
    var json = false

    func run() async throws {
        do {
            let set = try PolicyFiles.policySet(policies)
            let store = try PolicyFiles.entities(entities)
            let request = try makeRequest()
            let response = Authorizer(set).authorize(request, entities: store)
            print(render(response))
            if response.decision == .deny { throw WritExit.denied }
        } catch let error as InputError {
            printError(error.description)
            throw WritExit.badInput
        }
    }

    private func makeRequest() throws -> Request {
        if let requestJSON {
            do {
                return try EntityJSON.parseRequest(try PolicyFiles.read(requestJSON))
            } catch let error as InputError {
                throw error
            } catch {
                throw InputError("\(requestJSON): \(error)")
            }
        }
        guard let principal, let action, let resource else {
            throw InputError("give --request-json, or all of --principal, --action and --resource")
        }
        func uid(_ text: String, _ flag: String) throws -> EntityUID {
            do { return try PolicyParser.parseEntityUID(text) } catch {
                throw InputError("--\(flag): \(error)")
            }
        }
        var record = Record()
        if let context {
            do { record = try EntityJSON.parseContext(try PolicyFiles.read(context)) } catch let e as InputError {
                throw e
            } catch {
                throw InputError("--context \(context): \(error)")
            }
        }
        return Request(
            principal: try uid(principal, "principal"), action: try uid(action, "action"),
            resource: try uid(resource, "resource"), context: record)
    }

    private func render(_ r: Response) -> String {
        if json {
            let object: JSON = .object(JSONObject(uniqueMembers: [
                (key: "decision", value: .string(r.decision.rawValue)),
                (key: "reasons", value: .array(r.reasons.map { .string($0) })),
                (key: "errors", value: .array(r.errors.map {
                    .object(JSONObject(uniqueMembers: [
                        (key: "policy", value: .string($0.policyID)),
                        (key: "message", value: .string($0.error.message)),
                    ]))
                })),
            ]))
            return object.encoded()
        }
        var lines = [r.decision.rawValue.uppercased()]
        if !r.reasons.isEmpty { lines.append("reasons: " + r.reasons.joined(separator: ", ")) }
        for e in r.errors { lines.append("error: \(e)") }
        return lines.joined(separator: "\n")
    }
}

