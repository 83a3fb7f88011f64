import Cedar
import WritCore

/// `writ approvals` without `--server`: the approvals in the data directory's store,
/// decided in this process as `local:<user>`. A server on the same directory grants
/// what is approved here from its next decision on.
extension LocalTaskBackend {
    private var approvalService: ApprovalService { ApprovalService(store: store, audit: audit) }

    func approvals(state: ApprovalState?) async throws(TaskFailure) -> JSON {
        do {
            let found = try await approvalService.approvals(state: state)
            return .object(JSONObject(uniqueMembers: [(key: "approvals", value: .array(found.map(\.json)))]))
        } catch {
            throw TaskFailure(error)
        }
    }

    func approve(_ id: String, scope: ApprovalScope, ttl: Int?) async throws(TaskFailure) -> JSON {
        do {
            return try await approvalService.approve(id: id, scope: scope, ttl: ttl.map { .seconds($0) }, by: actor).json
        } catch {
            throw TaskFailure(error)
        }
    }

    func refuse(_ id: String) async throws(TaskFailure) -> JSON {
        do {
            return try await approvalService.refuse(id: id, by: actor).json
        } catch {
            throw TaskFailure(error)
        }
    }
}
