/// The argument and result types of Cedar's extension functions, as schema-based
/// reading needs them: the arguments of `{"__extn": {"fn": "offset", "args": [...]}}`
/// are read by the types `offset` takes (so `"2024-10-15"` may stand for a datetime),
/// and a plain string where the schema expects an extension type is read by that
/// type's one-string constructor (`ip` for `ipaddr`).
///
/// The names and arities agree with `ExtensionCatalog`; the implementations live in
/// `Extensions`.
enum ExtensionFunctionTypes {
    /// The type of one extension function.
    struct Signature: Sendable, Equatable {
        let arguments: [SchemaType]
        let result: SchemaType
    }

    /// The signature of the extension function `name`, or nil when Cedar has none.
    static func signature(of name: String) -> Signature? {
        signatures[name]
    }

    /// The constructor that builds a value of extension type `typeName` from one string
    /// (`decimal`, `ip`, `datetime`, `duration`), or nil when the type has none.
    static func stringConstructor(for typeName: String) -> String? {
        stringConstructors[typeName]
    }

    private static let decimal = SchemaType.extension("decimal")
    private static let ipaddr = SchemaType.extension("ipaddr")
    private static let datetime = SchemaType.extension("datetime")
    private static let duration = SchemaType.extension("duration")

    private static let signatures: [String: Signature] = [
        "decimal": Signature(arguments: [.string], result: decimal),
        "lessThan": Signature(arguments: [decimal, decimal], result: .bool),
        "lessThanOrEqual": Signature(arguments: [decimal, decimal], result: .bool),
        "greaterThan": Signature(arguments: [decimal, decimal], result: .bool),
        "greaterThanOrEqual": Signature(arguments: [decimal, decimal], result: .bool),
        "ip": Signature(arguments: [.string], result: ipaddr),
        "isIpv4": Signature(arguments: [ipaddr], result: .bool),
        "isIpv6": Signature(arguments: [ipaddr], result: .bool),
        "isLoopback": Signature(arguments: [ipaddr], result: .bool),
        "isMulticast": Signature(arguments: [ipaddr], result: .bool),
        "isInRange": Signature(arguments: [ipaddr, ipaddr], result: .bool),
        "datetime": Signature(arguments: [.string], result: datetime),
        "duration": Signature(arguments: [.string], result: duration),
        "offset": Signature(arguments: [datetime, duration], result: datetime),
        "durationSince": Signature(arguments: [datetime, datetime], result: duration),
        "toDate": Signature(arguments: [datetime], result: datetime),
        "toTime": Signature(arguments: [datetime], result: duration),
        "toMilliseconds": Signature(arguments: [duration], result: .long),
        "toSeconds": Signature(arguments: [duration], result: .long),
        "toMinutes": Signature(arguments: [duration], result: .long),
        "toHours": Signature(arguments: [duration], result: .long),
        "toDays": Signature(arguments: [duration], result: .long),
    ]

    /// Every function taking one string and returning an extension type, by that type.
    private static let stringConstructors: [String: String] = {
        var result: [String: String] = [:]
        for (name, signature) in signatures where signature.arguments == [.string] {
            if case .extension(let typeName) = signature.result { result[typeName] = name }
        }
        return result
    }()
}
