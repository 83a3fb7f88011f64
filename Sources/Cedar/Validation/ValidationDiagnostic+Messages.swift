/// The diagnostics the validator reports, each with its message and help.
extension ValidationDiagnostic {
    static func unrecognizedEntityType(
        _ policy: PolicyID, _ span: SourceSpan?, _ type: EntityType, suggestion: String?
    ) -> Self {
        Self(
            .unrecognizedEntityType, policyID: policy, span: span,
            message: "unrecognized entity type `\(type)`: the schema does not declare it",
            help: suggestion.map { "did you mean `\($0)`?" })
    }

    static func unrecognizedAction(_ policy: PolicyID, _ span: SourceSpan?, _ uid: EntityUID, help: String?) -> Self {
        Self(
            .unrecognizedAction, policyID: policy, span: span,
            message: "unrecognized action `\(uid)`: the schema does not declare it", help: help)
    }

    static func invalidActionApplication(
        _ policy: PolicyID, _ span: SourceSpan?, fixPrincipal: Bool, fixResource: Bool
    ) -> Self {
        let clauses = [fixPrincipal ? "the principal clause" : nil, fixResource ? "the resource clause" : nil]
            .compactMap { $0 }
        return Self(
            .invalidActionApplication, policyID: policy, span: span,
            message: "no action in the policy scope applies to a principal and a resource the scope allows",
            help: clauses.isEmpty ? nil : "try replacing `==` with `in` in \(clauses.joined(separator: " and "))")
    }

    static func unexpectedType(
        _ policy: PolicyID, _ span: SourceSpan?, expected: [CedarType], actual: CedarType, help: String? = nil
    ) -> Self {
        let wanted = expected.map { "`\($0)`" }.joined(separator: " or ")
        return Self(
            .unexpectedType, policyID: policy, span: span,
            message: "unexpected type: expected \(wanted) but saw `\(actual)`", help: help)
    }

    /// Where two types had to agree, for `incompatible_types`.
    enum LubContext: String {
        case set = "the elements of a set"
        case conditional = "both branches of an `if`"
        case equality = "both operands of `==`"
        case contains = "the elements of the set and the operand of `contains`"
        case containsAnyAll = "the elements of both sets of `containsAll` or `containsAny`"
        case getTag = "the tag types of the entity types `getTag` may apply to"
    }

    static func incompatibleTypes(
        _ policy: PolicyID, _ span: SourceSpan?, _ types: [CedarType], _ failure: LubFailure, _ context: LubContext
    ) -> Self {
        var names: [String] = []
        for t in types.map({ "`\($0)`" }) where !names.contains(t) { names.append(t) }
        return Self(
            .incompatibleTypes, policyID: policy, span: span,
            message: "the types \(names.joined(separator: " and ")) are not compatible: \(context.rawValue) must have compatible types",
            help: failure.help)
    }

    static func unsafeAttributeAccess(
        _ policy: PolicyID, _ span: SourceSpan?, _ access: AttributeAccess, suggestion: String?
    ) -> Self {
        Self(
            .unsafeAttributeAccess, policyID: policy, span: span,
            message: "attribute \(access) not found", help: suggestion.map { "did you mean `\($0)`?" })
    }

    static func unsafeOptionalAttributeAccess(_ policy: PolicyID, _ span: SourceSpan?, _ access: AttributeAccess) -> Self {
        Self(
            .unsafeOptionalAttributeAccess, policyID: policy, span: span,
            message: "attribute \(access) is optional; guard it with `has`",
            help: "try `\(access.suggestedGuard) && ...`")
    }

    static func unsafeTagAccess(_ policy: PolicyID, _ span: SourceSpan?, _ type: EntityType?, tag: Expr) -> Self {
        let tagText = PolicyFormatter.format(tag)
        let on = type.map { " on entity type `\($0)`" } ?? ""
        return Self(
            .unsafeTagAccess, policyID: policy, span: span,
            message: "tag `\(tagText)`\(on) may be absent; guard it with `hasTag`",
            help: "try `e.hasTag(\(tagText)) && ...`")
    }

    static func noTagsAllowed(_ policy: PolicyID, _ span: SourceSpan?, _ type: EntityType?) -> Self {
        let what = type.map { "type `\($0)`" } ?? "this type"
        return Self(
            .noTagsAllowed, policyID: policy, span: span,
            message: "`getTag` is not allowed on entities of \(what): the schema declares no `tags` for it")
    }

    static func undefinedFunction(_ policy: PolicyID, _ span: SourceSpan?, _ name: String) -> Self {
        Self(.undefinedFunction, policyID: policy, span: span, message: "undefined extension function `\(name)`")
    }

    static func wrongNumberArguments(
        _ policy: PolicyID, _ span: SourceSpan?, _ name: String, expected: Int, actual: Int
    ) -> Self {
        Self(
            .wrongNumberArguments, policyID: policy, span: span,
            message: "`\(name)` takes \(expected) argument\(expected == 1 ? "" : "s") but was given \(actual)")
    }

    static func functionArgumentValidation(_ policy: PolicyID, _ span: SourceSpan?, _ message: String) -> Self {
        Self(.functionArgumentValidation, policyID: policy, span: span, message: message)
    }

    static func emptySetForbidden(_ policy: PolicyID, _ span: SourceSpan?) -> Self {
        Self(
            .emptySetForbidden, policyID: policy, span: span,
            message: "empty set literals are forbidden in policies: the validator cannot know their element type")
    }

    static func nonLiteralExtensionConstructor(_ policy: PolicyID, _ span: SourceSpan?, _ name: String) -> Self {
        Self(
            .nonLiteralExtensionConstructor, policyID: policy, span: span,
            message: "extension constructor `\(name)` must be applied to a literal, not a computed expression",
            help: "construct the value in the entity or context data instead")
    }

    static func invalidEnumEntity(_ policy: PolicyID, _ span: SourceSpan?, _ uid: EntityUID, choices: [String]) -> Self {
        let listed = choices.map(CedarStringLiteral.quote).joined(separator: ", ")
        return Self(
            .invalidEnumEntity, policyID: policy, span: span,
            message: "entity `\(uid)` is not one of the declared values of enumerated entity type `\(uid.type)`",
            help: "the values are \(listed)")
    }

    static func expressionTooDeep(_ policy: PolicyID, _ span: SourceSpan?) -> Self {
        Self(
            .expressionTooDeep, policyID: policy, span: span,
            message: "the policy nests more than \(Typechecker.maxDepth) levels deep to typecheck")
    }

    static func impossiblePolicy(_ policy: PolicyID, _ span: SourceSpan?) -> Self {
        Self(
            .impossiblePolicy, severity: .warning, policyID: policy, span: span,
            message: "policy is impossible: it evaluates to false for every request the schema allows")
    }
}

/// An attribute read the validator could not prove safe, described by the chain of
/// attributes read and what the chain starts from: "`address.city` on entity type
/// `User`", "`ip` in context for `Action::"view"`".
struct AttributeAccess: CustomStringConvertible {
    enum Base {
        case entity(EntityType)
        case context(EntityUID)
        case other
    }
    let base: Base
    /// The attributes in reading order; the last is the one that could not be read.
    let path: [String]

    var description: String {
        let chain = "`" + AttributePath.chain(path, leadingDot: false) + "`"
        switch base {
        case .entity(let type): return "\(chain) on entity type `\(type)`"
        case .context(let action): return "\(chain) in the context of `\(action)`"
        case .other: return chain
        }
    }

    /// The `has` test that would make the read safe: `context.a has b`, `e has b`.
    var suggestedGuard: String {
        let root: String
        if case .context = base { root = "context" } else { root = "e" }
        guard let last = path.last else { return root }
        let name = AttributePath.isPlain(last) ? last : CedarStringLiteral.quote(last)
        return root + AttributePath.chain(path.dropLast(), leadingDot: true) + " has " + name
    }
}

/// How attribute names print in messages: `.name` when an identifier, `["name"]` else.
enum AttributePath {
    static func isPlain(_ name: String) -> Bool {
        CedarIdentifier.isAnyIdentifier(name) && !CedarIdentifier.reservedWords.contains(name)
    }

    static func displayName(_ name: String) -> String { isPlain(name) ? name : CedarStringLiteral.quote(name) }

    static func chain<C: Collection<String>>(_ names: C, leadingDot: Bool) -> String {
        var text = ""
        for (index, name) in names.enumerated() {
            if isPlain(name) {
                if index > 0 || leadingDot { text += "." }
                text += name
            } else {
                text += "[\(CedarStringLiteral.quote(name))]"
            }
        }
        return text
    }
}
