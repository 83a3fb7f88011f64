import Foundation
import Hummingbird

/// The comparison point for the HTTP benchmark: a trivial Hummingbird JSON endpoint
/// on the same path as Writ's evaluation. It reads the body, decodes the AuthZEN
/// request with `JSONDecoder` and answers `{"decision": true}`: HTTP, body handling
/// and JSON in and out, without any authorization.
@main
struct HTTPBaseline {
    struct Entity: Decodable {
        let type: String
        let id: String
    }

    struct Action: Decodable {
        let name: String
    }

    struct EvaluationRequest: Decodable {
        let subject: Entity
        let action: Action
        let resource: Entity
    }

    struct Decision: ResponseEncodable {
        let decision: Bool
    }

    static func main() async throws {
        let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 0
        let router = Router()
        router.post("/access/v1/evaluation") { request, context -> Decision in
            let evaluation = try await request.decode(as: EvaluationRequest.self, context: context)
            return Decision(decision: !evaluation.subject.id.isEmpty && !evaluation.action.name.isEmpty)
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                FileHandle.standardOutput.write(Data("http-baseline: listening on http://127.0.0.1:\(bound)\n".utf8))
            })
        try await app.runService()
    }
}
