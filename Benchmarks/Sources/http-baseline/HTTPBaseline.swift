import Foundation
import Hummingbird

/// The comparison point for the HTTP benchmark: a trivial Hummingbird JSON endpoint
/// on the same path as Writ's evaluation. It reads the body, decodes the AuthZEN
/// request with `JSONDecoder` and answers `{"decision": true}`: HTTP, body handling
/// and JSON in and out, without any authorization.
///
/// `http-baseline [PORT] [--durable FILE]`: with `--durable`, each request's body is
/// also appended to FILE as a line and synced to the disk before the answer
/// (`DurableAppender`): the floor of recording every decision durably first.
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
        var arguments = CommandLine.arguments.dropFirst()
        var durable: DurableAppender?
        if let flag = arguments.firstIndex(of: "--durable") {
            guard arguments.index(after: flag) < arguments.endIndex else {
                FileHandle.standardError.write(Data("http-baseline: --durable needs a file\n".utf8))
                exit(2)
            }
            durable = try DurableAppender(path: arguments[arguments.index(after: flag)])
            arguments.removeSubrange(flag...arguments.index(after: flag))
        }
        let port = arguments.first.flatMap { Int($0) } ?? 0
        let router = Router()
        if let durable {
            router.post("/access/v1/evaluation") { request, context -> Decision in
                let body = try await request.body.collect(upTo: context.maxUploadSize)
                let bytes = Array(buffer: body)
                let evaluation = try JSONDecoder().decode(EvaluationRequest.self, from: Data(bytes))
                guard await durable.append(bytes) else { throw HTTPError(.serviceUnavailable) }
                return Decision(decision: !evaluation.subject.id.isEmpty && !evaluation.action.name.isEmpty)
            }
        } else {
            router.post("/access/v1/evaluation") { request, context -> Decision in
                let evaluation = try await request.decode(as: EvaluationRequest.self, context: context)
                return Decision(decision: !evaluation.subject.id.isEmpty && !evaluation.action.name.isEmpty)
            }
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
