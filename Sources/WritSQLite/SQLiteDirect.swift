import Foundation
import GRDB
import GRDBSQLite

/// SQLite's C API under GRDB for the statements a decision's write runs (the audit
/// record's insert, the task counters' read and update): values bound straight from
/// their bytes, and the one row a read returns copied straight out — none of the
/// `StatementArguments` of existentials, `Data` copies, cursors and rows GRDB's
/// general API builds for every statement.
///
/// Statements come from the connection's cache (`Database.cachedStatement`), so SQLite
/// prepares each once.
enum SQLiteDirect {
    /// SQLite copies a value bound with this destructor before the bind returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Runs `statement`, an INSERT or UPDATE, with the values `bind` binds, through
    /// GRDB (which resets it, and tracks the transaction and its errors as for any
    /// statement it runs).
    static func execute(_ statement: Statement, _ bind: (Bindings) throws -> Void) throws {
        // Resets the statement, clears what was bound before and marks the arguments
        // bound: `execute()` then runs what `bind` binds.
        statement.setUncheckedArguments(StatementArguments())
        try bind(Bindings(statement))
        try statement.execute()
    }

    /// `read` given the first row `statement` (a SELECT) returns with the values `bind`
    /// binds — its columns read straight from the statement, no row built or copied —
    /// or nil when it returns none. Stepped here rather than through GRDB, which a
    /// read inside the transaction needs nothing of; reset before this returns or
    /// throws, so no statement stays open on the table.
    static func fetchFirst<T>(
        _ statement: Statement, _ bind: (Bindings) throws -> Void, _ read: (Columns) throws -> T
    ) throws -> T? {
        let raw = statement.sqliteStatement
        // Its last run ended with a reset (here or by GRDB); a reset after a failed step
        // returns that step's error, which was thrown then.
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
        defer {
            sqlite3_reset(raw)
            sqlite3_clear_bindings(raw)
        }
        try bind(Bindings(statement))
        switch sqlite3_step(raw) {
        case SQLITE_ROW: return try read(Columns(statement: raw))
        case SQLITE_DONE: return nil
        case let code: throw Bindings.error(code, statement)
        }
    }

    /// The columns of the row a statement is on, read by position from 0.
    struct Columns {
        fileprivate let statement: SQLiteStatement

        /// The bytes of the BLOB (or text) at `index`, copied; nil for NULL.
        func bytes(_ index: Int32) -> [UInt8]? {
            guard sqlite3_column_type(statement, index) != SQLITE_NULL else { return nil }
            // The pointer first, then the length, as SQLite asks.
            guard let base = sqlite3_column_blob(statement, index) else { return [] }
            let count = Int(sqlite3_column_bytes(statement, index))
            return Array(UnsafeRawBufferPointer(start: base, count: count))
        }

        /// The integer at `index`; nil for NULL.
        func integer(_ index: Int32) -> Int? {
            guard sqlite3_column_type(statement, index) != SQLITE_NULL else { return nil }
            return Int(sqlite3_column_int64(statement, index))
        }
    }

    /// The values of one statement's parameters, bound by position from 1; SQLite
    /// keeps a copy of each.
    struct Bindings {
        private let statement: Statement

        fileprivate init(_ statement: Statement) {
            self.statement = statement
        }

        func bind(_ value: Int64, at index: Int32) throws {
            try check(sqlite3_bind_int64(statement.sqliteStatement, index, value))
        }

        func bind(_ value: Int, at index: Int32) throws {
            try bind(Int64(value), at: index)
        }

        /// Binds `text`'s UTF-8 bytes as a BLOB (`SQLiteColumns.blob`); nil binds NULL.
        func bindBlob(_ text: String?, at index: Int32) throws {
            guard let text else { return try check(sqlite3_bind_null(statement.sqliteStatement, index)) }
            if let code = text.utf8.withContiguousStorageIfAvailable({ bindBytes(UnsafeRawBufferPointer($0), at: index) }) {
                try check(code)
            } else {
                try bindBlob(Array(text.utf8), at: index)
            }
        }

        /// Binds `bytes` as a BLOB.
        func bindBlob(_ bytes: [UInt8], at index: Int32) throws {
            try check(bytes.withUnsafeBytes { bindBytes($0, at: index) })
        }

        /// Binds `data` as a BLOB.
        func bindBlob(_ data: Data, at index: Int32) throws {
            try check(data.withUnsafeBytes { bindBytes($0, at: index) })
        }

        /// An empty BLOB is bound as one, as GRDB binds an empty `Data` — not as NULL,
        /// which a null pointer would bind.
        private func bindBytes(_ bytes: UnsafeRawBufferPointer, at index: Int32) -> Int32 {
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                return sqlite3_bind_zeroblob(statement.sqliteStatement, index, 0)
            }
            guard let count = Int32(exactly: bytes.count) else { return SQLITE_TOOBIG }
            return sqlite3_bind_blob(statement.sqliteStatement, index, base, count, SQLiteDirect.transient)
        }

        private func check(_ code: Int32) throws {
            guard code == SQLITE_OK else { throw Self.error(code, statement) }
        }

        /// The error SQLite reports for `code` on `statement`'s connection.
        fileprivate static func error(_ code: Int32, _ statement: Statement) -> DatabaseError {
            DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: String(cString: sqlite3_errmsg(sqlite3_db_handle(statement.sqliteStatement))),
                sql: statement.sql)
        }
    }
}
