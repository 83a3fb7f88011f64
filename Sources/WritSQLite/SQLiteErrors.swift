import Foundation
import GRDB
import WritCore

/// Maps what GRDB and SQLite throw to `WritError`, naming the database file.
enum SQLiteErrors {
    /// - Parameter opening: true while the file is being opened and checked, when
    ///   anything but a transient failure means the file cannot be read.
    static func map(_ error: any Error, path: String, opening: Bool = false) -> WritError {
        if let error = error as? WritError { return error }
        if error is CancellationError {
            return WritError(.storeUnavailable, "the operation on the store `\(path)` was cancelled")
        }
        if error is RowDecodingError {
            return WritError(.corruptState, "the store `\(path)` holds a value of an unexpected type: \(error)")
        }
        guard let error = error as? DatabaseError else {
            return WritError(.storeUnavailable, "the store `\(path)` failed: \(reason(error))")
        }
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return WritError(
                .storeUnavailable,
                "the store `\(path)` is locked by another connection and the busy timeout ran out: \(message)")
        case .SQLITE_NOTADB:
            return WritError(.corruptState, "`\(path)` is not a SQLite database: \(message)")
        case .SQLITE_CORRUPT, .SQLITE_FORMAT:
            return WritError(.corruptState, "the database `\(path)` is damaged: \(message)")
        case .SQLITE_CONSTRAINT where [.SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY].contains(error.extendedResultCode):
            return WritError(.conflict, "the write conflicts with what the store `\(path)` holds: \(message)")
        case .SQLITE_CANTOPEN, .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_NOMEM,
            .SQLITE_INTERRUPT, .SQLITE_ABORT, .SQLITE_NOLFS, .SQLITE_AUTH, .SQLITE_CONSTRAINT:
            return WritError(.storeUnavailable, "the store `\(path)` failed: \(message)")
        default:
            return WritError(
                opening ? .corruptState : .storeUnavailable,
                opening ? "the database `\(path)` cannot be read as a Writ store: \(message)"
                    : "the store `\(path)` failed: \(message)")
        }
    }

    /// A short reason for a non-SQLite error (a Foundation file error, say).
    static func reason(_ error: any Error) -> String {
        if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? any Error {
            return "\(error.localizedDescription) (\(underlying.localizedDescription))"
        }
        return error.localizedDescription
    }
}
