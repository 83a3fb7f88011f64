import ArgumentParser
import Foundation

/// The formats reports are written in: `writ analyze reach`, `writ inventory report`.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, html
}

/// Where a report goes.
enum ReportOutput {
    /// Writes the report in `format` — `text()`, `json()` (and a newline) or `html()`,
    /// only the one asked for made — as `write(_:to:)` does.
    static func write(
        _ format: ReportFormat, to output: String?, text: () -> String, json: () -> String, html: () -> String
    ) throws {
        switch format {
        case .text: try write(text(), to: output)
        case .json: try write(json() + "\n", to: output)
        case .html: try write(html(), to: output)
        }
    }

    /// Writes `text` to `output`, atomically, or to standard output when it is nil; a
    /// file that cannot be written prints why and exits with `badInput`.
    static func write(_ text: String, to output: String?) throws {
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            printError("cannot write `\(output)`: \(error.localizedDescription)")
            throw WritExit.badInput
        }
    }
}
