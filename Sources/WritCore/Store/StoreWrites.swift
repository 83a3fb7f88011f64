/// Whether a store's writes may hold the calling thread waiting — for the disk's
/// sync, or for another process's lock on the same database. The writers of tasks'
/// counters and of the audit log run such writes off Swift's cooperative pool
/// (`AuditWriterExecutor.offThePool`), where a thread held waiting would stop other
/// requests from running; a write that never waits runs in place, without the two
/// thread hand-offs the move costs.
public protocol StoreWrites: Sendable {
    /// True when a write may wait (the default); false for a store that only ever
    /// changes memory.
    var writesWait: Bool { get }
}

extension StoreWrites {
    public var writesWait: Bool { true }
}
