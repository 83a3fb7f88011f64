extension JSON {
    /// The JSON text of this value, deterministically: members in their stored order,
    /// strings escaped as RFC 8259 requires (quote, backslash, control characters) and
    /// everything else written as UTF-8. Pretty output indents by two spaces, like
    /// Rust Cedar's (serde_json's) pretty printer.
    package func encoded(pretty: Bool = false) -> String {
        String(decoding: encodedBytes(pretty: pretty), as: UTF8.self)
    }

    /// The UTF-8 bytes of `encoded(pretty:)`; with `sortingMembers`, every object's
    /// members in the order of their keys' UTF-8 bytes instead of their stored order.
    package func encodedBytes(pretty: Bool = false, sortingMembers: Bool = false) -> [UInt8] {
        var writer = JSONByteWriter(pretty: pretty, sortingMembers: sortingMembers)
        writer.write(self, depth: 0)
        return writer.output
    }
}

/// Appends JSON text to a byte buffer: whole values, or — for output of a fixed shape
/// written without building a tree first — its pieces (punctuation, strings, integers),
/// escaped exactly as whole values are.
package struct JSONByteWriter {
    let pretty: Bool
    let sortingMembers: Bool
    /// The text written so far.
    package private(set) var output: [UInt8] = []

    /// A writer; `capacity` reserves room for the output expected.
    package init(pretty: Bool = false, sortingMembers: Bool = false, capacity: Int = 0) {
        self.pretty = pretty
        self.sortingMembers = sortingMembers
        output.reserveCapacity(capacity)
    }

    /// Writes `value` as `JSON.encodedBytes` does; `depth` is its nesting level, for
    /// pretty output's indentation.
    package mutating func write(_ value: JSON, depth: Int = 0) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .number(let n): appendText(n.text)
        case .string(let s): writeString(s)
        case .array(let elements):
            guard !elements.isEmpty else { return append("[]") }
            output.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { output.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                write(element, depth: depth + 1)
            }
            newline(depth)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.isEmpty else { return append("{}") }
            output.append(UInt8(ascii: "{"))
            let members = sortingMembers && !Self.inKeyOrder(object.members)
                ? object.members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } : object.members
            for (i, member) in members.enumerated() {
                if i > 0 { output.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                writeString(member.key)
                output.append(UInt8(ascii: ":"))
                if pretty { output.append(UInt8(ascii: " ")) }
                write(member.value, depth: depth + 1)
            }
            newline(depth)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Whether `members` are already in the order of their keys' UTF-8 bytes (most
    /// objects written sorted are, or have one member): then they need no sorted copy.
    private static func inKeyOrder(_ members: [(key: String, value: JSON)]) -> Bool {
        guard members.count > 1 else { return true }
        for index in 1..<members.count
        where !members[index - 1].key.utf8.lexicographicallyPrecedes(members[index].key.utf8) {
            return false
        }
        return true
    }

    private mutating func newline(_ depth: Int) {
        guard pretty else { return }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    /// Appends `text` as it is: punctuation and literals (`{"decision":`, `true`).
    package mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    /// Appends `integer` as `JSONNumber(integer)` writes it.
    package mutating func writeInteger(_ integer: Int64) {
        appendText(String(integer))
    }

    private mutating func appendText(_ text: String) {
        var text = text
        text.withUTF8 { output.append(contentsOf: $0) }
    }

    /// Appends `string` as a JSON string: in quotes, with the quote, the backslash and
    /// control characters escaped and everything else as UTF-8.
    package mutating func writeString(_ string: String) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            // Runs of bytes that need no escape are copied whole.
            var start = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                escape(byte)
                start = index + 1
            }
            if start < bytes.count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends the escape of `byte`: the quote, the backslash or a control character.
    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"")
        case UInt8(ascii: "\\"): append("\\\\")
        case 0x08: append("\\b")
        case 0x0C: append("\\f")
        case 0x0A: append("\\n")
        case 0x0D: append("\\r")
        case 0x09: append("\\t")
        default:
            append("\\u00")
            output.append(Self.hexDigits[Int(byte >> 4)])
            output.append(Self.hexDigits[Int(byte & 0xF)])
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
