/// A value of one of Cedar's extension types.
///
/// Construction from strings, formatting and the extension functions live beside
/// each type (`Decimal.swift`, `IPAddr.swift`, `Datetime.swift`, `Duration.swift`).
public enum ExtensionValue: Sendable, Hashable {
    case decimal(CedarDecimal)
    case ipaddr(IPAddr)
    case datetime(CedarDatetime)
    case duration(CedarDuration)

    /// The Cedar type name: `decimal`, `ipaddr`, `datetime` or `duration`.
    public var typeName: String {
        switch self {
        case .decimal: return "decimal"
        case .ipaddr: return "ipaddr"
        case .datetime: return "datetime"
        case .duration: return "duration"
        }
    }
}

/// A Cedar `decimal`: a fixed-point number with exactly four digits after the point.
public struct CedarDecimal: Sendable, Hashable, Comparable {
    /// The value times 10,000.
    public let scaled: Int64
    /// Creates a decimal from its value times 10,000.
    public init(scaled: Int64) { self.scaled = scaled }
    public static func < (a: CedarDecimal, b: CedarDecimal) -> Bool { a.scaled < b.scaled }
}

/// A Cedar `ipaddr`: an IPv4 or IPv6 address with a prefix length (a CIDR range).
public struct IPAddr: Sendable, Hashable {
    /// Whether this is an IPv6 address.
    public let isV6: Bool
    /// The address bits; an IPv4 address uses the low 32 bits.
    public let address: UInt128
    /// The prefix length: 0...32 for IPv4, 0...128 for IPv6.
    public let prefixLength: UInt8
    /// Creates an address; the caller guarantees `prefixLength` fits the family.
    public init(isV6: Bool, address: UInt128, prefixLength: UInt8) {
        self.isV6 = isV6
        self.address = address
        self.prefixLength = prefixLength
    }
}

/// A Cedar `datetime`: an instant, as milliseconds since the Unix epoch (UTC).
public struct CedarDatetime: Sendable, Hashable, Comparable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let milliseconds: Int64
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public static func < (a: CedarDatetime, b: CedarDatetime) -> Bool { a.milliseconds < b.milliseconds }
}

/// A Cedar `duration`: a signed length of time in milliseconds.
public struct CedarDuration: Sendable, Hashable, Comparable {
    /// The length in milliseconds.
    public let milliseconds: Int64
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public static func < (a: CedarDuration, b: CedarDuration) -> Bool { a.milliseconds < b.milliseconds }
}
