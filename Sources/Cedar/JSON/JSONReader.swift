/// Limits that keep hostile JSON from exhausting the stack or memory.
public struct JSONLimits: Sendable, Equatable {
    /// The deepest nesting of arrays and objects accepted. The default, 127, is the
    /// most Rust Cedar accepts (serde_json's recursion limit). Reading never recurses,
    /// but the values read are walked recursively, so keep this in the thousands at most.
    public var maxDepth: Int
    /// The longest input accepted, in bytes.
    public var maxBytes: Int

    /// Creates limits; the defaults suit entity files of tens of megabytes.
    public init(maxDepth: Int = 127, maxBytes: Int = 64 << 20) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }

    /// The default limits.
    public static let `default` = JSONLimits()
}

extension JSON {
    /// Reads one JSON document from `text`, following RFC 8259 strictly: no
    /// duplicate keys, comments, trailing commas, leading zeros, byte order mark,
    /// control characters in strings, lone surrogate escapes or trailing text.
    package static func parse(_ text: String, limits: JSONLimits = .default) throws(JSONError) -> JSON {
        var text = text
        var result: Result<JSON, JSONError> = .failure(JSONError(.syntax, "empty input"))
        text.withUTF8 { bytes in
            result = Result { () throws(JSONError) in
                var reader = JSONReader(bytes: bytes, limits: limits)
                return try reader.readDocument()
            }
        }
        return try result.get()
    }

    /// Reads one JSON document from UTF-8 `bytes`; see `parse(_:limits:)`.
    package static func parse(_ bytes: [UInt8], limits: JSONLimits = .default) throws(JSONError) -> JSON {
        var result: Result<JSON, JSONError> = .failure(JSONError(.syntax, "empty input"))
        bytes.withUnsafeBufferPointer { buffer in
            result = Result { () throws(JSONError) in
                var reader = JSONReader(bytes: buffer, limits: limits)
                return try reader.readDocument()
            }
        }
        return try result.get()
    }
}

/// A strict, non-recursive JSON reader over UTF-8 bytes. Containers being read sit
/// on an explicit stack, so nesting costs heap, bounded by `JSONLimits.maxDepth`.
struct JSONReader {
    /// An array or object whose members are still being read.
    private struct Frame {
        let isObject: Bool
        var elements: [JSON] = []
        var members: [(key: String, value: JSON)] = []
        /// The key whose value is being read, for objects.
        var pendingKey = ""
        /// The keys so far, once an object is large enough that a linear scan is slow.
        var keyIndex: Set<ScalarKey>?

        init(isObject: Bool) {
            self.isObject = isObject
            // Most containers are small: room for a few up front spares the heap the
            // two or three reallocations growing from nothing costs.
            if isObject { members.reserveCapacity(Self.initialCapacity) } else { elements.reserveCapacity(Self.initialCapacity) }
        }

        static let initialCapacity = 4
    }

    private static let keyIndexThreshold = 16

    private let bytes: UnsafeBufferPointer<UInt8>
    private let limits: JSONLimits
    private var index = 0
    /// Reused buffer for strings with escapes.
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func readDocument() throws(JSONError) -> JSON {
        guard bytes.count <= limits.maxBytes else {
            throw JSONError(
                .tooLarge, "input of \(bytes.count) bytes is larger than the limit of \(limits.maxBytes) bytes",
                path: nil)
        }
        var stack: [Frame] = []
        stack.reserveCapacity(Frame.initialCapacity)
        readValue: while true {
            var value: JSON
            skipWhitespace()
            guard index < bytes.count else { throw endOfInput(expecting: "a value") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                try checkDepth(stack)
                index += 1
                skipWhitespace()
                if peek(UInt8(ascii: "}")) {
                    index += 1
                    value = .object(JSONObject())
                } else {
                    var frame = Frame(isObject: true)
                    frame.pendingKey = try readKey().key
                    stack.append(frame)
                    continue readValue
                }
            case UInt8(ascii: "["):
                try checkDepth(stack)
                index += 1
                skipWhitespace()
                if peek(UInt8(ascii: "]")) {
                    index += 1
                    value = .array([])
                } else {
                    stack.append(Frame(isObject: false))
                    continue readValue
                }
            case UInt8(ascii: "\""):
                value = .string(try readString())
            case UInt8(ascii: "t"):
                try readLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try readLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try readLiteral("null")
                value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try readNumber())
            default:
                throw unexpected(expecting: "a value")
            }

            // Hand the finished value to its container, closing every container it completes.
            while true {
                guard !stack.isEmpty else {
                    skipWhitespace()
                    guard index == bytes.count else { throw unexpected(expecting: "the end of the input") }
                    return value
                }
                let top = stack.count - 1
                skipWhitespace()
                if stack[top].isObject {
                    stack[top].members.append((key: stack[top].pendingKey, value: value))
                    guard index < bytes.count else { throw endOfInput(expecting: "`,` or `}`") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        skipWhitespace()
                        let (key, keyStart) = try readKey()
                        if isDuplicate(key, in: &stack[top]) {
                            var components = path(of: stack.dropLast())
                            components.append(.key(key))
                            throw JSONError(
                                .duplicateKey, "duplicate key `\(key)`", location: location(of: keyStart),
                                path: components)
                        }
                        stack[top].pendingKey = key
                        continue readValue
                    }
                    guard bytes[index] == UInt8(ascii: "}") else { throw unexpected(expecting: "`,` or `}`") }
                    index += 1
                    value = .object(JSONObject(uniqueMembers: stack.removeLast().members))
                } else {
                    stack[top].elements.append(value)
                    guard index < bytes.count else { throw endOfInput(expecting: "`,` or `]`") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        continue readValue
                    }
                    guard bytes[index] == UInt8(ascii: "]") else { throw unexpected(expecting: "`,` or `]`") }
                    index += 1
                    value = .array(stack.removeLast().elements)
                }
            }
        }
    }

    // MARK: - Structure

    private func checkDepth(_ stack: [Frame]) throws(JSONError) {
        guard stack.count < limits.maxDepth else {
            throw JSONError(
                .tooDeep, "arrays and objects nest deeper than the limit of \(limits.maxDepth)",
                location: location(of: index), path: path(of: stack[...]))
        }
    }

    /// Reads `"key"` and the `:` after it; returns the key and where it starts.
    private mutating func readKey() throws(JSONError) -> (key: String, start: Int) {
        guard peek(UInt8(ascii: "\"")) else { throw unexpected(expecting: "an object key") }
        let start = index
        let key = try readString()
        skipWhitespace()
        guard peek(UInt8(ascii: ":")) else { throw unexpected(expecting: "`:`") }
        index += 1
        return (key, start)
    }

    /// Whether `key` is among the object's keys so far; records it when it is not.
    private func isDuplicate(_ key: String, in frame: inout Frame) -> Bool {
        if frame.keyIndex != nil {
            return frame.keyIndex?.insert(ScalarKey(string: key)).inserted == false
        }
        for member in frame.members where member.key.scalarsEqual(key) { return true }
        if frame.members.count >= Self.keyIndexThreshold {
            var keys = Set(frame.members.map { ScalarKey(string: $0.key) })
            keys.insert(ScalarKey(string: key))
            frame.keyIndex = keys
        }
        return false
    }

    /// The path to the value being read inside the containers on `stack`.
    private func path(of stack: ArraySlice<Frame>) -> [JSONPathComponent] {
        stack.map { frame in frame.isObject ? .key(frame.pendingKey) : .index(frame.elements.count) }
    }

    // MARK: - Scalars

    private mutating func readLiteral(_ word: StaticString) throws(JSONError) {
        let start = index
        let count = word.utf8CodeUnitCount
        let matches = word.withUTF8Buffer { expected in
            bytes.count - start >= count && (0..<count).allSatisfy { bytes[start + $0] == expected[$0] }
        }
        guard matches else { throw unexpected(expecting: "a value") }
        index += count
    }

    /// Reads a number: `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    private mutating func readNumber() throws(JSONError) -> JSONNumber {
        let start = index
        if peek(UInt8(ascii: "-")) { index += 1 }
        if peek(UInt8(ascii: "0")) {
            index += 1
            if peekDigit() {
                throw JSONError(.syntax, "numbers may not have leading zeros", location: location(of: start), path: nil)
            }
        } else {
            guard peekDigit() else { throw unexpected(expecting: "a digit") }
            while peekDigit() { index += 1 }
        }
        if peek(UInt8(ascii: ".")) {
            index += 1
            guard peekDigit() else { throw unexpected(expecting: "a digit after `.`") }
            while peekDigit() { index += 1 }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard peekDigit() else { throw unexpected(expecting: "a digit in the exponent") }
            while peekDigit() { index += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return JSONNumber(validatedText: text)
    }

    /// Reads a string starting at its opening quote.
    private mutating func readString() throws(JSONError) -> String {
        let open = index
        var i = index + 1
        // Fast path: no escapes, so the string is a slice of the input.
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                index = i + 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[(open + 1)..<i]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacter(at: i) }
            i = byte < 0x80 ? i + 1 : try endOfUTF8Sequence(at: i)
        }
        guard i < bytes.count else { throw unterminatedString(at: open) }

        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(open + 1)..<i]))
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""):
                index = i + 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                i = try readEscape(at: i)
            case 0..<0x20:
                throw controlCharacter(at: i)
            case 0x20..<0x80:
                scratch.append(byte)
                i += 1
            default:
                let end = try endOfUTF8Sequence(at: i)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<end]))
                i = end
            }
        }
        throw unterminatedString(at: open)
    }

    /// Appends the character the escape at `start` (a backslash) denotes to `scratch`;
    /// returns the index after the escape.
    private mutating func readEscape(at start: Int) throws(JSONError) -> Int {
        guard start + 1 < bytes.count else { throw unterminatedString(at: start) }
        let simple: UInt8
        switch bytes[start + 1] {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            return try readUnicodeEscape(at: start)
        default:
            throw JSONError(.syntax, "invalid escape in string", location: location(of: start), path: nil)
        }
        scratch.append(simple)
        return start + 2
    }

    /// Reads `\uXXXX`, or a surrogate pair `\uD83D\uDE00`, at `start`.
    private mutating func readUnicodeEscape(at start: Int) throws(JSONError) -> Int {
        let first = try hexQuad(at: start + 2)
        var value = UInt32(first)
        var next = start + 6
        func loneSurrogate() -> JSONError {
            JSONError(
                .invalidUTF8, "string escapes a lone surrogate `\\u\(hex(first))`",
                location: location(of: start), path: nil)
        }
        if (0xD800...0xDBFF).contains(first) {
            let followedByEscape =
                next + 1 < bytes.count && bytes[next] == UInt8(ascii: "\\") && bytes[next + 1] == UInt8(ascii: "u")
            guard followedByEscape else { throw loneSurrogate() }
            let second = try hexQuad(at: next + 2)
            guard (0xDC00...0xDFFF).contains(second) else { throw loneSurrogate() }
            value = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
            next += 6
        } else if (0xDC00...0xDFFF).contains(first) {
            throw loneSurrogate()
        }
        guard let scalar = Unicode.Scalar(value) else { throw loneSurrogate() }
        UTF8.encode(scalar) { scratch.append($0) }
        return next
    }

    private func hexQuad(at start: Int) throws(JSONError) -> UInt16 {
        guard start + 4 <= bytes.count else { throw unterminatedString(at: start) }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = bytes[start + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw JSONError(
                    .syntax, "expected four hex digits after `\\u`", location: location(of: start), path: nil)
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    /// Validates the multi-byte UTF-8 sequence starting at `start` and returns the index
    /// after it. Rejects overlong forms, surrogates and values above U+10FFFF.
    private func endOfUTF8Sequence(at start: Int) throws(JSONError) -> Int {
        let lead = bytes[start]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw invalidUTF8(at: start)
        }
        guard start + length <= bytes.count, secondRange.contains(bytes[start + 1]) else {
            throw invalidUTF8(at: start)
        }
        for offset in 2..<max(2, length) where !(0x80...0xBF).contains(bytes[start + offset]) {
            throw invalidUTF8(at: start)
        }
        return start + length
    }

    // MARK: - Scanning

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func peek(_ byte: UInt8) -> Bool {
        index < bytes.count && bytes[index] == byte
    }

    private func peekDigit() -> Bool {
        index < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
    }

    // MARK: - Errors

    /// The line and column (in Unicode scalars, both 1-based) of byte `offset`.
    private func location(of offset: Int) -> SourceLocation {
        var line = 1
        var column = 1
        for i in 0..<min(offset, bytes.count) {
            let byte = bytes[i]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceLocation(line: line, column: column, offset: offset)
    }

    private func unexpected(expecting expected: String) -> JSONError {
        guard index < bytes.count else { return endOfInput(expecting: expected) }
        let byte = bytes[index]
        let found: String
        if byte >= 0x21 && byte < 0x7F {
            found = "`\(Character(Unicode.Scalar(byte)))`"
        } else if byte >= 0x80 {
            found = "a non-ASCII character"
        } else {
            found = "byte 0x\(hex(UInt16(byte)))"
        }
        return JSONError(.syntax, "expected \(expected), found \(found)", location: location(of: index), path: nil)
    }

    private func endOfInput(expecting expected: String) -> JSONError {
        JSONError(.syntax, "expected \(expected), found the end of the input", location: location(of: index), path: nil)
    }

    private func unterminatedString(at offset: Int) -> JSONError {
        JSONError(.syntax, "unterminated string", location: location(of: offset), path: nil)
    }

    private func controlCharacter(at offset: Int) -> JSONError {
        JSONError(
            .syntax, "control character 0x\(hex(UInt16(bytes[offset]))) must be escaped in a string",
            location: location(of: offset), path: nil)
    }

    private func invalidUTF8(at offset: Int) -> JSONError {
        JSONError(.invalidUTF8, "invalid UTF-8", location: location(of: offset), path: nil)
    }

    private func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: false)
        return String(repeating: "0", count: max(0, (value > 0xFF ? 4 : 2) - digits.count)) + digits
    }
}
