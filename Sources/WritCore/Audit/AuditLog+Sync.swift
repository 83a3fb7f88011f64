extension AuditLog {
    /// True when `store` is the store this log appends to: each record is written
    /// there and synced as that store syncs its commits before `record` returns.
    public func recordsSynced(in store: any TaskStore) -> Bool {
        (self.store as AnyObject) === (store as AnyObject)
    }
}
