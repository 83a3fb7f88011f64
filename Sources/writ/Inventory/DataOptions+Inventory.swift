import WritCore
import WritSQLite

extension DataOptions {
    /// Runs `body` on the inventory of the data directory: the store, the decision
    /// service loaded from it (a policy set must be stored) and the audit log the
    /// inventory records its changes in. Prints a failure (`cannot <what>: …`) and
    /// exits with `badInput`.
    func withInventory<T>(_ what: String, _ body: (InventoryService) async throws(WritError) -> T) async throws -> T {
        let (store, log) = try await openAudited(what)
        defer { try? store.close() }
        do {
            let decisions = DecisionService(store: store, audit: log)
            try await decisions.reload()
            let result = try await body(InventoryService(decisions: decisions, audit: log))
            try await log.close()
            return result
        } catch {
            try? await log.close()
            printError("cannot \(what): \(error.message)")
            throw WritExit.badInput
        }
    }
}
