import Cedar
import Foundation
import WritCore
import WritHTTP
import WritSQLite

/// `writ task` without `--server`: the task service on the data directory's store, in
/// this process, with the store's signing keys and the issuer `writ serve` recorded.
/// A server running on the same directory reads tasks opened here from the store when
/// their credential is first presented, and the store refuses to count decisions in a
/// task closed here.
final class LocalTaskBackend: TaskBackend {
    let store: SQLiteStore
    private let service: TaskService?
    /// The data directory's audit log, for every use but reading: the services record
    /// their changes through it.
    let audit: AuditLog?
    /// Who opens and closes tasks here, for the record: `local:<user>`.
    let actor: String

    private init(store: SQLiteStore, service: TaskService?, audit: AuditLog?) {
        self.store = store
        self.service = service
        self.audit = audit
        actor = DataOptions.localActor
    }

    /// Opens the store in `data` and, for `use`, what it needs: the policy set (to
    /// compile mandates), the signing keys, the recorded issuer, and the audit log
    /// (any use but reading; when it cannot be opened, nothing is changed).
    static func open(_ data: DataOptions, use: TaskTarget.LocalUse) async throws(TaskFailure) -> LocalTaskBackend {
        let store: SQLiteStore
        do {
            store = try data.openStore()
        } catch {
            throw TaskFailure("\(error)")
        }
        var audit: AuditLog?
        do throws(TaskFailure) {
            if use != .read {
                do {
                    audit = try await data.openAuditLog(store)
                } catch {
                    throw TaskFailure("the audit log in `\(data.data)` cannot be opened: \(error.message)")
                }
            }
            return LocalTaskBackend(
                store: store, service: try await service(store, data: data, use: use, audit: audit), audit: audit)
        } catch {
            try? await audit?.close()
            try? store.close()
            throw error
        }
    }

    private static func service(
        _ store: SQLiteStore, data: DataOptions, use: TaskTarget.LocalUse, audit: AuditLog?
    ) async throws(TaskFailure) -> TaskService? {
        guard use == .close || use == .mint else { return nil }
        let decisions = DecisionService(store: store)
        var issuer = ""
        if use == .mint {
            do {
                guard let recorded = try data.recordedIssuer() else {
                    throw InputError(
                        "no credential issuer is recorded in `\(data.data)`: start `writ serve --data \(data.data)` once "
                            + "(it records its --public-url, or http://HOST:PORT), or use --server")
                }
                issuer = recorded
            } catch {
                throw TaskFailure("\(error)")
            }
            do {
                try await decisions.reload()
            } catch {
                throw TaskFailure("the store in `\(data.data)` has no usable policy set: \(error.message)")
            }
        }
        do {
            let keys = try await data.signingKeys(store).keys
            return DataOptions.taskService(decisions, keys: keys, issuer: issuer, audit: audit).tasks
        } catch {
            throw TaskFailure("\(error)")
        }
    }

    func open(_ opening: TaskOpening) async throws(TaskFailure) -> JSON {
        var opening = opening
        opening.openedBy = actor
        return TaskBody.json(try await perform { service throws(WritError) in try await service.open(opening) })
    }

    func delegate(from parent: String?, credential: String, _ delegation: TaskDelegation) async throws(TaskFailure) -> JSON {
        guard let service else { throw Self.readOnly }
        let identity: TaskCredentialIdentity
        switch service.identify(credential: credential) {
        case .success(let verified): identity = verified
        case .failure(let denial): throw TaskFailure("the task credential is not valid: \(denial.message)")
        }
        if let parent, !parent.scalarsEqual(identity.taskID) {
            throw TaskFailure("the task credential is for task `\(identity.taskID)`, not `\(TaskOutput.printable(parent))`")
        }
        return TaskBody.json(try await perform { service throws(WritError) in
            try await service.delegate(from: identity.taskID, delegation)
        })
    }

    func close(_ id: String) async throws(TaskFailure) -> JSON {
        TaskBody.json(try await perform { service throws(WritError) in try await service.close(id, closedBy: actor) })
    }

    func task(_ id: String) async throws(TaskFailure) -> JSON {
        let found: TaskRecord?
        do {
            found = try await store.task(id: id)
        } catch {
            throw TaskFailure(error)
        }
        guard let found else { throw TaskFailure("no task `\(TaskOutput.printable(id))` (not_found)") }
        return TaskBody.json(found, now: Date())
    }

    func tasks(agent: String?, user: String?, state: TaskState?) async throws(TaskFailure) -> JSON {
        let now = Date()
        do {
            let found = try await store.tasks(
                matching: TaskFilter(agent: agent, onBehalfOf: user, state: state, now: now, limit: 1000))
            return .object(JSONObject(uniqueMembers: [("tasks", .array(found.map { TaskBody.json($0, now: now) }))]))
        } catch {
            throw TaskFailure(error)
        }
    }

    private static let readOnly = TaskFailure("the data directory was opened for reading only")

    func shutdown() async throws(TaskFailure) {
        defer { try? store.close() }
        do {
            try await audit?.close()
        } catch {
            throw TaskFailure("done, but the audit checkpoint could not be written: \(error.message)")
        }
    }

    private func perform<T>(_ body: (TaskService) async throws(WritError) -> T) async throws(TaskFailure) -> T {
        guard let service else { throw Self.readOnly }
        do {
            return try await body(service)
        } catch {
            throw TaskFailure(error)
        }
    }
}
