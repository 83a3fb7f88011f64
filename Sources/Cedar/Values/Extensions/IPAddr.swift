/// The `ipaddr` extension: `ip("10.0.0.0/8")` and the methods `isIpv4`, `isIpv6`,
/// `isLoopback`, `isMulticast` and `isInRange`.
///
/// An `IPAddr` keeps the address bits as written, not masked by the prefix, so
/// `ip("10.0.0.1/24") != ip("10.0.0.0/24")`, as in Rust Cedar; only `isInRange` looks
/// at the network the prefix denotes.
extension IPAddr: CustomStringConvertible {
    /// The longest string `ip()` considers, in UTF-8 bytes:
    /// `ABCD:EF01:2345:6789:ABCD:EF01:2345:6789/128`.
    static let maximumLength = 43

    /// Parses an IPv4 or IPv6 address with an optional `/prefix`, accepting exactly what
    /// Rust Cedar accepts: dotted-quad IPv4 without leading zeros; IPv6 in hexadecimal
    /// groups of one to four digits with at most one `::`; no IPv4 embedded in IPv6
    /// (`::ffff:1.2.3.4`), zone ids, brackets or whitespace; a prefix of plain decimal
    /// digits without leading zeros, at most 32 (IPv4) or 128 (IPv6). Without a prefix
    /// the address is a single host (`/32` or `/128`).
    init(parsing text: String) throws(EvaluationError) {
        guard text.utf8.count <= Self.maximumLength else {
            throw Self.failure("error parsing IP address from string `\(text)`: string length is too large")
        }
        guard !(Self.occursTwice(":", in: text) && Self.occursTwice(".", in: text)) else {
            throw Self.failure(
                "error parsing IP address from string: We do not accept IPv4 embedded in IPv6 (e.g., ::ffff:127.0.0.1). Found: `\(text)`"
            )
        }
        let bytes = Array(text.utf8)
        guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else {
            guard let (isV6, address) = Self.parseAddress(bytes[...]) else {
                throw Self.failure("invalid IP address: \(text)")
            }
            self.init(isV6: isV6, address: address, prefixLength: isV6 ? 128 : 32)
            return
        }
        guard let (isV6, address) = Self.parseAddress(bytes[..<slash]) else {
            let addressText = String(decoding: bytes[..<slash], as: UTF8.self)
            throw Self.failure("error parsing IP address from the string `\(addressText)`: invalid IP address syntax")
        }
        let prefix = try Self.parsePrefix(bytes[(slash + 1)...], maximum: isV6 ? 128 : 32, maximumDigits: isV6 ? 3 : 2)
        self.init(isV6: isV6, address: address, prefixLength: prefix)
    }

    /// The address as Rust prints it, then `/` and the prefix length: `"10.0.0.1/32"`,
    /// `"ffee::/64"`. IPv6 follows RFC 5952 (lowercase, the longest run of two or more
    /// zero groups shortened to `::`, the first run on a tie). Unlike Rust, IPv4-mapped
    /// addresses stay hexadecimal (`"::ffff:a00:1/128"`), since `ip()` rejects the dotted
    /// form Rust would print.
    public var description: String {
        "\(isV6 ? Self.formatV6(address) : Self.formatV4(UInt32(truncatingIfNeeded: address)))/\(prefixLength)"
    }

    /// Whether this is a loopback address (`127.0.0.0/8` or `::1`) with a prefix at least
    /// that long.
    var isLoopback: Bool {
        isV6 ? address == 1 && prefixLength >= 128 : (address >> 24) & 0xFF == 127 && prefixLength >= 8
    }

    /// Whether this is a multicast address (`224.0.0.0/4` or `ff00::/8`) with a prefix at
    /// least that long.
    var isMulticast: Bool {
        isV6 ? address >> 120 == 0xFF && prefixLength >= 8 : (address >> 28) & 0xF == 0xE && prefixLength >= 4
    }

    /// Whether the network this value denotes lies within the network `range` denotes.
    /// Addresses of different families are never in range of each other.
    func isInRange(_ range: IPAddr) -> Bool {
        guard isV6 == range.isV6 else { return false }
        let width = isV6 ? 128 : 32
        let all: UInt128 = isV6 ? .max : UInt128(UInt32.max)
        func network(_ ip: IPAddr) -> UInt128 {
            let hostBits = width - Int(ip.prefixLength)
            return ip.address & (hostBits >= width ? 0 : (all << hostBits) & all)
        }
        func broadcast(_ ip: IPAddr) -> UInt128 {
            ip.address | (Int(ip.prefixLength) >= width ? 0 : all >> Int(ip.prefixLength))
        }
        return network(range) <= network(self) && broadcast(self) <= broadcast(range)
    }

    // MARK: Parsing

    /// Whether `character` occurs at least twice in `text`.
    private static func occursTwice(_ character: Unicode.Scalar, in text: String) -> Bool {
        var seen = false
        for scalar in text.unicodeScalars where scalar == character {
            if seen { return true }
            seen = true
        }
        return false
    }

    /// An IPv4 or IPv6 address spanning all of `bytes`.
    private static func parseAddress(_ bytes: ArraySlice<UInt8>) -> (isV6: Bool, address: UInt128)? {
        if let v4 = parseV4(bytes) { return (false, UInt128(v4)) }
        if let v6 = parseV6(bytes) { return (true, v6) }
        return nil
    }

    /// Four decimal octets separated by `.`, each 0–255, one to three digits, no leading zero.
    private static func parseV4(_ bytes: ArraySlice<UInt8>) -> UInt32? {
        let octets = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var address: UInt32 = 0
        for octet in octets {
            guard (1...3).contains(octet.count),
                  octet.count == 1 || octet.first != UInt8(ascii: "0"),
                  let value = ASCIIDigits.value(of: octet, as: UInt8.self)
            else { return nil }
            address = address << 8 | UInt32(value)
        }
        return address
    }

    /// Eight hexadecimal groups separated by `:`, or up to seven around a single `::`.
    private static func parseV6(_ bytes: ArraySlice<UInt8>) -> UInt128? {
        let colon = UInt8(ascii: ":")
        var gap: Int?
        var index = bytes.startIndex
        while index < bytes.endIndex - 1 {
            if bytes[index] == colon, bytes[index + 1] == colon { gap = index; break }
            index += 1
        }
        guard let gap else {
            guard let groups = parseGroups(bytes), groups.count == 8 else { return nil }
            return combine(groups)
        }
        guard let head = parseGroups(bytes[..<gap]),
              let tail = parseGroups(bytes[(gap + 2)...]),
              head.count + tail.count <= 7
        else { return nil }
        return combine(head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail)
    }

    /// The `:`-separated groups of one to four hexadecimal digits in `bytes`; empty when
    /// `bytes` is empty; nil when any group is malformed.
    private static func parseGroups(_ bytes: ArraySlice<UInt8>) -> [UInt16]? {
        guard !bytes.isEmpty else { return [] }
        var groups: [UInt16] = []
        for group in bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false) {
            guard (1...4).contains(group.count) else { return nil }
            var value: UInt16 = 0
            for byte in group {
                guard let digit = hexDigit(byte) else { return nil }
                value = value << 4 | UInt16(digit)
            }
            groups.append(value)
        }
        return groups
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func combine(_ groups: [UInt16]) -> UInt128 {
        groups.reduce(UInt128(0)) { $0 << 16 | UInt128($1) }
    }

    /// A prefix length: plain ASCII digits, no leading zero, at most `maximumDigits` long
    /// and at most `maximum`. Checks and messages follow Rust Cedar's order.
    private static func parsePrefix(
        _ bytes: ArraySlice<UInt8>, maximum: UInt8, maximumDigits: Int
    ) throws(EvaluationError) -> UInt8 {
        let text = String(decoding: bytes, as: UTF8.self)
        guard bytes.count <= maximumDigits else {
            throw failure("error parsing prefix: string length \(bytes.count) is too large")
        }
        guard bytes.allSatisfy(ASCIIDigits.isDigit) else {
            throw failure("error parsing prefix `\(text)`: encountered non-digit")
        }
        guard bytes.count <= 1 || bytes.first != UInt8(ascii: "0") else {
            throw failure("error parsing prefix `\(text)`: leading zero(s)")
        }
        guard let prefix = ASCIIDigits.value(of: bytes, as: UInt8.self) else {
            let reason = bytes.isEmpty ? "cannot parse integer from empty string" : "number too large to fit in target type"
            throw failure("error parsing prefix from the string `\(text)`: \(reason)")
        }
        guard prefix <= maximum else {
            throw failure("error parsing prefix: \(prefix) is larger than the limit \(maximum)")
        }
        return prefix
    }

    // MARK: Formatting

    private static func formatV4(_ address: UInt32) -> String {
        (0..<4).map { String((address >> (24 - 8 * $0)) & 0xFF) }.joined(separator: ".")
    }

    private static func formatV6(_ address: UInt128) -> String {
        let groups = (0..<8).map { UInt16(truncatingIfNeeded: address >> (112 - 16 * $0)) }
        // The longest run of zero groups; the first one wins a tie.
        var best = (start: 0, length: 0)
        var run = (start: 0, length: 0)
        for (i, group) in groups.enumerated() {
            if group == 0 {
                if run.length == 0 { run.start = i }
                run.length += 1
                if run.length > best.length { best = run }
            } else {
                run.length = 0
            }
        }
        func hex(_ slice: ArraySlice<UInt16>) -> String {
            slice.map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard best.length > 1 else { return hex(groups[...]) }
        return hex(groups[..<best.start]) + "::" + hex(groups[(best.start + best.length)...])
    }

    private static func failure(_ message: String) -> EvaluationError {
        .extensionError("ipaddr", message)
    }

    // MARK: Functions

    static let extensionFunctions: [ExtensionFunction] = [
        .unary("ip", .function) { (argument: Value) throws(EvaluationError) -> Value in
            .ext(.ipaddr(try IPAddr(parsing: try ExtensionArgument.string(argument))))
        },
        predicate("isIpv4") { !$0.isV6 },
        predicate("isIpv6") { $0.isV6 },
        predicate("isLoopback") { $0.isLoopback },
        predicate("isMulticast") { $0.isMulticast },
        .binary("isInRange", .method) { (address: Value, range: Value) throws(EvaluationError) -> Value in
            let a = try ExtensionArgument.ipaddr(address)
            let r = try ExtensionArgument.ipaddr(range)
            return .bool(a.isInRange(r))
        },
    ]

    private static func predicate(_ name: String, _ test: @escaping @Sendable (IPAddr) -> Bool) -> ExtensionFunction {
        .unary(name, .method) { (receiver: Value) throws(EvaluationError) -> Value in
            .bool(test(try ExtensionArgument.ipaddr(receiver)))
        }
    }
}
