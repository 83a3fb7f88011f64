import ArgumentParser
import WritSQLite

/// `writ serve --durability full|normal`: what a commit (an audit record, a task's
/// counters) survives before the answer goes out. See docs/AUDIT.md, "Durability".
enum DurabilitySwitch: String, ExpressibleByArgument, Sendable {
    /// Each commit fsynced before the answer: survives power loss.
    case full
    /// Each commit in the write-ahead log before the answer (survives a crash of
    /// `writ serve`), fsynced every `--sync-interval` milliseconds.
    case normal

    /// The store setting, with `syncInterval` milliseconds between fsyncs for `normal`.
    func durability(syncInterval: Int) -> SQLiteStore.Durability {
        switch self {
        case .full: .full
        case .normal: .normal(syncInterval: .milliseconds(syncInterval))
        }
    }
}
