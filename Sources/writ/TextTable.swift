import Foundation

/// Rows of cells printed in columns two spaces apart, each as wide as its widest cell.
enum TextTable {
    static func print(_ rows: [[String]]) {
        Swift.print(render(rows), terminator: "")
    }

    /// The rows as text, each line ending with a newline.
    static func render(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        var text = ""
        for row in rows {
            // The last cell is not padded: the line's trailing spaces would be trimmed anyway.
            let cells = zip(row, widths).enumerated().map { index, pair in
                index == row.count - 1 ? pair.0 : pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0)
            }
            text += cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        return text
    }
}
