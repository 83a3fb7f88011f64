/// The lexical rules for names in schemas, which are Rust Cedar's: identifiers
/// `[_a-zA-Z][_a-zA-Z0-9]*`, the reserved words that cannot be one, and `__cedar`,
/// which names may mention (`__cedar::Long`) but declarations may not.
enum SchemaNames {
    /// The `__cedar` namespace, which holds the built-in types.
    static let cedarNamespace = "__cedar"

    /// The primitive types, by the name the `__cedar` namespace gives them.
    static let primitiveTypes: [String: SchemaType] = ["Bool": .bool, "Long": .long, "String": .string]

    /// The extension types Cedar has.
    static let extensionTypes: Set<String> = ["ipaddr", "decimal", "datetime", "duration"]

    /// Names a common type cannot have, as they are type keywords of the JSON format.
    static let reservedCommonTypeNames: Set<String> = [
        "Bool", "Boolean", "Entity", "Extension", "Long", "Record", "Set", "String",
    ]

    /// Whether `text` is an identifier, reserved words included.
    static func isIdentifier<S: StringProtocol>(_ text: S) -> Bool {
        CedarIdentifier.isAnyIdentifier(text)
    }

    /// Whether `word` is one of Cedar's reserved words (`true`, `if`, `in`, ...).
    static func isReservedWord<S: StringProtocol>(_ word: S) -> Bool {
        CedarIdentifier.reservedWords.contains(String(word))
    }

    /// Whether an attribute name prints without quotes: an identifier that is not a
    /// reserved word or `__cedar`.
    static func isPlainAttributeName(_ name: String) -> Bool {
        isIdentifier(name) && !isReservedWord(name) && name != cedarNamespace
    }

    /// Why `text` is not a valid name (identifiers that are not reserved words, joined
    /// by `::`, written without spaces), or nil when it is. `__cedar` is allowed in a
    /// reference unless `allowingCedar` is false.
    static func nameProblem(_ text: String, allowingCedar: Bool = true) -> String? {
        let pieces = text.split(separator: "::", omittingEmptySubsequences: false)
        for piece in pieces {
            guard isIdentifier(piece) else { return "it is not a name such as `A` or `NS::A`" }
            if isReservedWord(piece) { return "`\(piece)` is a reserved word" }
            if !allowingCedar && piece == cedarNamespace { return "`__cedar` is reserved" }
        }
        return nil
    }

    /// Why `text` cannot name a declaration (an identifier that is neither a reserved
    /// word nor `__cedar`), or nil when it can.
    static func identifierProblem(_ text: String) -> String? {
        guard isIdentifier(text) else { return "it is not an identifier" }
        if isReservedWord(text) { return "`\(text)` is a reserved word" }
        if text == cedarNamespace { return "`__cedar` is reserved" }
        return nil
    }

    /// Whether any `::`-separated component of `name` is `__cedar`.
    static func mentionsCedarNamespace(_ name: String) -> Bool {
        name.split(separator: "::").contains { $0 == cedarNamespace }
    }

    /// The base name: `User` for `NS::User`.
    static func basename(_ name: String) -> Substring {
        name.split(separator: "::").last ?? Substring(name)
    }

    /// Rust Cedar's order of namespaces: the empty namespace first, then by base name,
    /// then by the path before it, comparing components by their Unicode scalars.
    static func namespaceOrder(_ lhs: String?, _ rhs: String?) -> Bool {
        guard let lhs else { return rhs != nil }
        guard let rhs else { return false }
        let left = lhs.split(separator: "::").map(String.init)
        let right = rhs.split(separator: "::").map(String.init)
        let leftBase = left.last ?? ""
        let rightBase = right.last ?? ""
        if !leftBase.scalarsEqual(rightBase) { return leftBase.scalarsLess(rightBase) }
        let leftPath = left.dropLast()
        let rightPath = right.dropLast()
        for (a, b) in zip(leftPath, rightPath) where !a.scalarsEqual(b) {
            return a.scalarsLess(b)
        }
        return leftPath.count < rightPath.count
    }
}
