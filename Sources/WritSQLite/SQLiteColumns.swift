import Foundation
import GRDB
import WritCore

/// Strings go into the database as UTF-8 BLOBs and come back checked (see
/// `SQLiteMigrations`).
enum SQLiteColumns {
    static func blob(_ string: String) -> Data {
        Data(string.utf8)
    }

    static func blob(_ string: String?) -> Data? {
        string.map { Data($0.utf8) }
    }

    /// The text in `column`; `.corruptState` naming `what` when it is not UTF-8 bytes.
    static func text(_ row: Row, _ column: String, _ what: @autoclosure () -> String, path: String) throws -> String {
        guard let text = try optionalText(row, column, what(), path: path) else {
            throw WritError(.corruptState, "\(what()) in `\(path)` has no `\(column)`")
        }
        return text
    }

    static func optionalText(_ row: Row, _ column: String, _ what: @autoclosure () -> String, path: String) throws -> String? {
        guard let bytes = try row.decode(Data?.self, forColumn: column) else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw WritError(.corruptState, "\(what()) in `\(path)` has a `\(column)` that is not UTF-8")
        }
        return text
    }

    static func date(_ row: Row, _ column: String) throws -> Date {
        Date(timeIntervalSinceReferenceDate: try row.decode(Double.self, forColumn: column))
    }

    static func optionalDate(_ row: Row, _ column: String) throws -> Date? {
        try row.decode(Double?.self, forColumn: column).map { Date(timeIntervalSinceReferenceDate: $0) }
    }
}
