/// Reads task counters from text exactly as `TaskCounters.storedJSON` writes it —
/// `{"actions":{…},"calls":N,"decisions":N,"spend":{…}}`, no whitespace, keys without
/// escapes in strictly increasing UTF-8 byte order, integers without leading zeros —
/// straight from the bytes, without a JSON tree: a store reads a task's counters on
/// every allow.
///
/// Anything else is nil, for the general JSON reader to decide: the text this reader
/// accepts is a subset of JSON that the general reader reads to the same counters, so
/// which reader reads it never changes what is read. Keys in strictly increasing byte
/// order cannot repeat; numbers that overflow, `-0`, fractions, exponents, escapes,
/// whitespace, other members or another order all fall to the general reader.
struct StoredCountersReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The counters `bytes` hold when they are exactly in `storedJSON`'s form; nil
    /// otherwise (whether or not they are counters).
    static func read(_ bytes: [UInt8]) -> TaskCounters? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = StoredCountersReader(buffer)
            return reader.readCounters()
        }
    }

    private mutating func readCounters() -> TaskCounters? {
        guard skip(#"{"actions":"#), let actions: [String: Int] = readNumbers(),
            skip(#","calls":"#), let calls = readInteger(),
            skip(#","decisions":"#), let decisions = readInteger(),
            skip(#","spend":"#), let spend: [String: Int64] = readNumbers(),
            skip("}"), index == bytes.count
        else { return nil }
        return TaskCounters(decisions: Int(decisions), calls: Int(calls), actions: actions, spend: spend)
    }

    /// Moves past `literal` when the bytes at the index are it.
    private mutating func skip(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] { return false }
        index += count
        return true
    }

    /// An object of whole numbers, its keys in strictly increasing byte order.
    private mutating func readNumbers<N: FixedWidthInteger>() -> [String: N]? {
        guard skip("{") else { return nil }
        var numbers: [String: N] = [:]
        if skip("}") { return numbers }
        var previous: Range<Int>? = nil
        repeat {
            guard let (key, ascii) = readKey(), previous.map({ precedes($0, key) }) ?? true,
                let text = ascii
                    ? String(decoding: UnsafeBufferPointer(rebasing: bytes[key]), as: UTF8.self)
                    : String(validating: UnsafeBufferPointer(rebasing: bytes[key]), as: UTF8.self),
                skip(":"), let value = readInteger(), let number = N(exactly: value)
            else { return nil }
            numbers[text] = number
            previous = key
        } while skip(",")
        return skip("}") ? numbers : nil
    }

    /// Whether the bytes of `first` order strictly before those of `second`.
    private func precedes(_ first: Range<Int>, _ second: Range<Int>) -> Bool {
        bytes[first].lexicographicallyPrecedes(bytes[second])
    }

    /// The range of a key's bytes between its quotes — a string without escapes or
    /// control characters — and whether they are all ASCII (then UTF-8 unchecked).
    private mutating func readKey() -> (Range<Int>, ascii: Bool)? {
        guard skip("\"") else { return nil }
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (start..<(index - 1), ascii)
            }
            guard byte >= 0x20, byte != UInt8(ascii: "\\") else { return nil }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        return nil
    }

    /// An integer as `JSONNumber(Int64)` writes it: an optional minus, then `0` or a
    /// digit from 1 to 9 and more digits; nil when it is `-0` or outside `Int64`.
    private mutating func readInteger() -> Int64? {
        let negative = skip("-")
        guard index < bytes.count, let first = Self.digit(bytes[index]) else { return nil }
        index += 1
        // Accumulated negatively, so that Int64.min is reachable.
        var value = -first
        if first != 0 {
            while index < bytes.count, let digit = Self.digit(bytes[index]) {
                let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
                let (next, overflowB) = shifted.subtractingReportingOverflow(digit)
                guard !overflowA, !overflowB else { return nil }
                value = next
                index += 1
            }
        } else if negative {
            return nil
        }
        if negative { return value }
        let (positive, overflow) = Int64(0).subtractingReportingOverflow(value)
        return overflow ? nil : positive
    }

    private static func digit(_ byte: UInt8) -> Int64? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int64(byte - UInt8(ascii: "0")) : nil
    }
}
