/// The names, styles and arities of Cedar 4.x's extension functions, as the parser
/// needs them to tell `ip("...")` from an unknown function before any evaluation.
/// The implementations live in `Extensions` (one file per extension type).
public enum ExtensionCatalog {
    /// One entry of the catalog.
    public struct Signature: Sendable, Equatable {
        public let style: ExtensionFunction.Style
        /// The number of arguments, counting a method's receiver.
        public let arity: Int
    }

    /// Every extension function, by name.
    public static let signatures: [String: Signature] = [
        // decimal
        "decimal": Signature(style: .function, arity: 1),
        "lessThan": Signature(style: .method, arity: 2),
        "lessThanOrEqual": Signature(style: .method, arity: 2),
        "greaterThan": Signature(style: .method, arity: 2),
        "greaterThanOrEqual": Signature(style: .method, arity: 2),
        // ipaddr
        "ip": Signature(style: .function, arity: 1),
        "isIpv4": Signature(style: .method, arity: 1),
        "isIpv6": Signature(style: .method, arity: 1),
        "isLoopback": Signature(style: .method, arity: 1),
        "isMulticast": Signature(style: .method, arity: 1),
        "isInRange": Signature(style: .method, arity: 2),
        // datetime and duration
        "datetime": Signature(style: .function, arity: 1),
        "duration": Signature(style: .function, arity: 1),
        "offset": Signature(style: .method, arity: 2),
        "durationSince": Signature(style: .method, arity: 2),
        "toDate": Signature(style: .method, arity: 1),
        "toTime": Signature(style: .method, arity: 1),
        "toMilliseconds": Signature(style: .method, arity: 1),
        "toSeconds": Signature(style: .method, arity: 1),
        "toMinutes": Signature(style: .method, arity: 1),
        "toHours": Signature(style: .method, arity: 1),
        "toDays": Signature(style: .method, arity: 1),
    ]
}
