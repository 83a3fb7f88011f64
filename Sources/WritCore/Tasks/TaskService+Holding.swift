import Cedar
import Foundation
import Synchronization

extension TaskService {
    /// Reads from the store each task in `ids`, and every task above it, that this
    /// service does not hold, and holds them as stored. Another process sharing the
    /// store opened them: `writ task open` on the same data directory, or another
    /// replica. A task the store does not know stays unknown (`no_task`); a closed one
    /// is held closed; one whose mandate no longer parses is left out, with the tasks
    /// below it, as `load()` does.
    ///
    /// Callers ask only for tasks named by a credential that verified, so a caller
    /// cannot make the service read arbitrary ids.
    /// - Returns: whether any task was read.
    /// - Throws: a store error; nothing is held then, so decisions in those tasks stay
    ///   denied.
    @discardableResult
    public func hold(fromStore ids: [String]) async throws(WritError) -> Bool {
        try await gate.run { () async throws(WritError) -> Bool in
            var read = false
            for id in ids {
                if try await holdChain(of: id) { read = true }
            }
            return read
        }
    }

    /// `hold(fromStore:)` for one task, inside the gate.
    @discardableResult
    func holdChain(of id: String) async throws(WritError) -> Bool {
        var missing: [TaskRecord] = []
        var next: String? = id
        // A chain is at most `maxDepth` tasks above its leaf; a stored loop ends here.
        while let current = next, missing.count <= configuration.maxDepth,
            current.utf8.count <= configuration.maxIdentifierBytes, registry.withLock({ $0[current] == nil })
        {
            guard let record = try await store.task(id: current) else { break }
            missing.append(record)
            next = record.parentID
        }
        var entries: [TaskEntry] = []
        for record in missing.reversed() {
            if record.closedAt != nil {
                entries.append(TaskEntry(record: record, mandate: nil))
                continue
            }
            // A mandate that no longer parses leaves its task, and those below, unheld.
            guard let mandate = try? Self.compile(record.mandate, schema: nil) else { break }
            entries.append(TaskEntry(record: record, mandate: mandate))
        }
        guard !entries.isEmpty else { return false }
        registry.withLock { registry in
            for entry in entries where registry[entry.record.id] == nil { registry.insert(entry) }
        }
        return true
    }

    /// Marks closed in memory each task among `ids` that the store holds as closed
    /// (another process closed it), with its held descendants, so that lookups and
    /// searches deny too. A task the store cannot read is left as it is: the store
    /// goes on refusing to count decisions in it.
    func adoptClosures(_ ids: [String]) async {
        for id in ids {
            guard let stored = try? await store.task(id: id), let closedAt = stored.closedAt else { continue }
            registry.withLock { $0.close([id], at: closedAt) }
        }
    }
}
