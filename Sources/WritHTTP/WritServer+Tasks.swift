import Cedar
import Foundation
import HTTPTypes
import Hummingbird
import WritCore

extension WritServer {
    /// The header an agent (or the PEP acting for it) sends its task credential in.
    public static let taskCredentialHeader = HTTPField.Name("Writ-Task-Credential")!

    /// `/v1/tasks` and `/.well-known/jwks.json`. Opening, closing and listing need a
    /// key with the `tasks` scope; delegating and reporting labels are authenticated by
    /// the task's own credential alone, so only an agent inside a task (or the enforcing
    /// point acting for it) can delegate from it or add to its labels.
    func taskRoutes() -> [Route] {
        [
            Route(.post, "/v1/tasks", scope: .tasks) { request, context in
                let tasks = try requireTasks()
                let body = try await ManagementBody(request: request, context: context, limits: limits).json("task")
                let opening = try ManagementBody.decode("task") { () throws(JSONError) in
                    try TaskBody.opening(body, openedBy: context.author)
                }
                return TaskBody.opened(try await tasks.open(opening))
            },
            Route(.get, "/v1/tasks", scope: .tasks) { request, _ in
                let tasks = try requireTasks()
                let query = request.uri.queryParameters
                var state: TaskState?
                if let text = query["state"] {
                    guard let parsed = TaskState(rawValue: String(text)) else {
                        throw WritError(.invalidRequest, "`state` must be open, closed or expired, not `\(String(text).boundedForMessage)`")
                    }
                    state = parsed
                }
                let filter = TaskFilter(
                    agent: query["agent"].map(String.init), onBehalfOf: query["user"].map(String.init), state: state,
                    now: Date(), limit: 1000)
                let found = try await tasks.tasks(matching: filter)
                return JSONResponse.make(.members([("tasks", .array(found.map { TaskBody.json($0, now: Date()) }))]))
            },
            Route(.get, "/v1/tasks/:id", scope: .tasks) { _, context in
                let tasks = try requireTasks()
                let id = try taskID(context)
                guard let task = try await tasks.task(id: id) else { throw noSuchTask(id) }
                return JSONResponse.make(TaskBody.json(task, now: Date()))
            },
            Route(.post, "/v1/tasks/:id/delegate", scope: nil) { request, context in
                let tasks = try requireTasks()
                let id = try taskID(context)
                try authenticateTask(request, id: id, tasks: tasks, for: "delegating needs the parent task's credential")
                let body = try await ManagementBody(request: request, context: context, limits: limits).json("delegation")
                let delegation = try ManagementBody.decode("delegation") { () throws(JSONError) in
                    try TaskBody.delegation(body)
                }
                return TaskBody.opened(try await tasks.delegate(from: id, delegation))
            },
            Route(.post, "/v1/tasks/:id/labels", scope: nil) { request, context in
                let tasks = try requireTasks()
                let id = try taskID(context)
                try authenticateTask(request, id: id, tasks: tasks, for: "reporting labels needs the task's credential")
                _ = try MediaTypeCheck.require(["application/json"], in: request)
                let bytes = try await RequestBodyReader.read(request, context: context, limit: Self.maxLabelReportBytes)
                let body = try ManagementBody.parse(bytes, "labels", limits: limits)
                let labels = try ManagementBody.decode("labels") { () throws(JSONError) in try TaskBody.labelReport(body) }
                return JSONResponse.make(TaskBody.json(labels: try await tasks.addLabels(labels, to: id), of: id))
            },
            Route(.post, "/v1/tasks/:id/close", scope: .tasks) { _, context in
                let tasks = try requireTasks()
                let id = try taskID(context)
                return JSONResponse.make(TaskBody.json(try await tasks.close(id, closedBy: context.author)))
            },
            Route(.get, "/.well-known/jwks.json", scope: nil) { _, _ in
                JSONResponse.make(bytes: credentials?.jwks ?? Array(#"{"keys":[]}"#.utf8))
            },
        ]
    }

    /// The largest label report body: 64 labels of 64 bytes fit many times over.
    static let maxLabelReportBytes = 64 * 1024

    private func requireTasks() throws(WritError) -> TaskService {
        guard let tasks else { throw WritError(.notFound, "this server keeps no tasks") }
        return tasks
    }

    private func taskID(_ context: WritRequestContext) throws(WritError) -> String {
        guard let id = context.parameters.get("id"), !id.isEmpty else {
            throw WritError(.invalidRequest, "the path names no task id")
        }
        return id
    }

    private func noSuchTask(_ id: String) -> WritError {
        WritError(.notFound, "no task `\(id.boundedForMessage)`")
    }

    /// The credential of task `id` must be presented and verify: 401 when it is
    /// missing or does not verify, 403 when it is for another task. `need` says what
    /// the route needs it for.
    private func authenticateTask(_ request: Request, id: String, tasks: TaskService, for need: String) throws {
        let presented = request.headers[values: Self.taskCredentialHeader]
        guard presented.count == 1 else {
            throw HTTPRefusal.unauthenticated(
                "\(need) in one `Writ-Task-Credential` header", tokenPresented: !presented.isEmpty)
        }
        switch tasks.identify(credential: presented[0]) {
        case .failure(let denial):
            throw HTTPRefusal.unauthenticated("the task credential is not valid: \(denial.message)", tokenPresented: true)
        case .success(let identity):
            guard identity.taskID == id else {
                throw WritError(.forbidden, "the task credential is for another task, not `\(id.boundedForMessage)`")
            }
        }
    }
}
