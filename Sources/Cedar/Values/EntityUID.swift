/// The name of an entity type, such as `User` or `PhotoFlash::Photo`.
///
/// Stored fully qualified, with `::` between the namespace path and the base name.
public struct EntityType: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The fully qualified name, e.g. `PhotoFlash::Photo`.
    public let name: String

    /// Creates an entity type from its fully qualified name. The caller vouches that
    /// the name is a valid Cedar name; parsers check this.
    public init(_ name: String) {
        self.name = name
    }

    /// The components of the name: `["PhotoFlash", "Photo"]`.
    public var components: [Substring] {
        name.split(separator: ":", omittingEmptySubsequences: true)
    }

    /// The base name without its namespace: `Photo`.
    public var basename: Substring { components.last ?? Substring(name) }

    /// The namespace, empty when the name has none: `PhotoFlash`.
    public var namespace: String {
        let parts = components
        return parts.dropLast().joined(separator: "::")
    }

    /// Whether this is an action entity type (`Action` or `NS::Action`).
    public var isAction: Bool { basename == "Action" }

    public var description: String { name }

    public static func < (lhs: EntityType, rhs: EntityType) -> Bool { lhs.name.scalarsLess(rhs.name) }
    public static func == (lhs: EntityType, rhs: EntityType) -> Bool { lhs.name.scalarsEqual(rhs.name) }
    public func hash(into hasher: inout Hasher) { hasher.combineScalars(name) }
}

/// The unique identifier of an entity: its type and its id, `User::"alice"`.
public struct EntityUID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The entity's type.
    public let type: EntityType
    /// The entity's id; any string, compared by Unicode scalars.
    public let id: String

    /// Creates an entity uid.
    public init(type: EntityType, id: String) {
        self.type = type
        self.id = id
    }

    /// Creates an entity uid from a fully qualified type name and an id.
    public init(_ type: String, _ id: String) {
        self.init(type: EntityType(type), id: id)
    }

    /// The uid in Cedar syntax, with the id quoted and escaped: `User::"alice"`.
    public var description: String { "\(type.name)::\(CedarStringLiteral.quote(id))" }

    public static func == (lhs: EntityUID, rhs: EntityUID) -> Bool {
        lhs.type == rhs.type && lhs.id.scalarsEqual(rhs.id)
    }

    public static func < (lhs: EntityUID, rhs: EntityUID) -> Bool {
        if lhs.type != rhs.type { return lhs.type < rhs.type }
        return lhs.id.scalarsLess(rhs.id)
    }

    /// Hashes the type's name and the id in full: hashing less (the id alone, say) would
    /// let one input of many uids sharing an id, types chosen to collide, make every
    /// look-up linear.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combineScalars(id)
    }
}

/// Quoting and escaping of Cedar string literals, shared by the formatter and messages.
public enum CedarStringLiteral {
    /// Returns `s` as a Cedar string literal, with quotes and escapes as Rust Cedar
    /// prints them (Rust's `str::escape_debug`): `\\`, `\"`, `\'`, `\n`, `\r`, `\t`, `\0`,
    /// and `\u{...}` for scalars that are not printable (controls, format characters,
    /// separators other than the space, private-use, surrogate, unassigned and
    /// default-ignorable code points) and for a combining mark at the very start.
    public static func quote(_ s: String) -> String {
        // Printable ASCII but the quotes and the backslash is written as it is: most ids.
        if s.utf8.allSatisfy({ (0x20...0x7E).contains($0) && $0 != 0x22 && $0 != 0x27 && $0 != 0x5C }) {
            return "\"" + s + "\""
        }
        var out = "\""
        var isFirst = true
        for scalar in s.unicodeScalars {
            appendEscaped(scalar, escapingGraphemeExtend: isFirst, to: &out)
            isFirst = false
        }
        out += "\""
        return out
    }

    /// Appends `scalar` to `out` as it appears inside a Cedar string literal.
    /// `escapingGraphemeExtend` escapes combining marks, which Rust does for the first
    /// scalar of a string and for every scalar of a `like` pattern.
    package static func appendEscaped(
        _ scalar: Unicode.Scalar, escapingGraphemeExtend: Bool, to out: inout String
    ) {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\0": out += "\\0"
        case "'": out += "\\'"
        case " "..."~": out.unicodeScalars.append(scalar)
        default:
            if !isPrintable(scalar) || (escapingGraphemeExtend && scalar.properties.isGraphemeExtend) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }

    /// Rust's notion of a printable character: anything but a control, format,
    /// surrogate, private-use, unassigned or default-ignorable code point, or a
    /// separator other than ` `.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isDefaultIgnorableCodePoint { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
            return false
        case .spaceSeparator:
            return scalar == " "
        default:
            return true
        }
    }
}
