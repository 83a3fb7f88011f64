import ArgumentParser
import Foundation

/// `writ task close ID`: closes the task and every task delegated from it; prints
/// the closed ids and the signed receipt.
struct TaskClose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a task and everything delegated from it; prints the closed ids and the receipt.",
        discussion: """
            Prints `closed <id>` for each task closed (the task first), then `receipt kid=… \
            payload=… signature=…` (base64url; verify with /.well-known/jwks.json). A server \
            on the same data directory denies the next decision in any of them \
            (task_closed). Exits 1 when the task is unknown or already closed.
            """)

    @Argument(help: "The task id.")
    var id: String

    @Flag(help: "Print the whole JSON reply.")
    var json = false

    @OptionGroup var target: TaskTarget

    func run() async throws {
        try await target.run("close task `\(TaskOutput.printable(id))`", local: .close) { backend throws(TaskFailure) in
            let reply = try await backend.close(id)
            guard !json else { return TaskOutput.printJSON(reply) }
            for closed in reply[member: "closed"]?.arrayValue ?? [] {
                print("closed \(TaskOutput.printable(closed.stringValue ?? "-"))")
            }
            if let receipt = reply[member: "receipt"], let kid = receipt[member: "kid"]?.stringValue {
                let payload = receipt[member: "payload"]?.stringValue ?? "", signature = receipt[member: "signature"]?.stringValue ?? ""
                print(TaskOutput.printable("receipt kid=\(kid) payload=\(payload) signature=\(signature)"))
            } else {
                print("receipt none: \(TaskOutput.printable(reply[member: "receipt_failure"]?.stringValue ?? "none was signed"))")
            }
        }
    }
}
