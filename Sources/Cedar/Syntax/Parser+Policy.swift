/// Policies and their scopes:
///
///     Policy     := {Annotation} ('permit' | 'forbid') '(' Scope ')' {Condition} ';'
///     Annotation := '@' IDENT ['(' STR ')']
///     Scope      := Principal ',' Action ',' Resource [',']
///     Principal  := 'principal' ['is' Name] [('==' | 'in') (EntityUID | '?principal')]
///     Action     := 'action' [('==' EntityUID) | ('in' (EntityUID | '[' EntityUIDs ']'))]
///     Resource   := like Principal, with `resource` and `?resource`
///     Condition  := ('when' | 'unless') '{' Expr '}'
///
/// Entity references in the scope may be parenthesized, and action entities must have
/// an action type (`Action` or `NS::Action`), as Rust Cedar requires. Slots may appear
/// only in the scope, each in its own position.
extension Parser {
    func parsePolicy(id: PolicyID) throws(ParseError) -> Policy {
        let start = current.start
        let annotations = try parseAnnotations()
        let effect = try parseEffect()
        try expect(.leftParen, "`(` after `\(effect.rawValue)`")
        let (principal, action, resource) = try parseScope()
        var conditions: [Condition] = []
        while current.kind == .identifier {
            conditions.append(try parseCondition())
        }
        try expect(.semicolon, "`when`, `unless` or `;`")
        return Policy(
            id: id, effect: effect, principal: principal, action: action, resource: resource,
            conditions: conditions, annotations: annotations, span: SourceSpan(start: start, end: previousEnd))
    }

    /// Parses an entity uid such as `App::User::"alice"`.
    func parseEntityUID() throws(ParseError) -> EntityUID {
        guard current.kind == .identifier else { throw unexpected(expected: "an entity uid such as `User::\"alice\"`") }
        let type = try parseName(role: "an entity type name")
        guard current.kind == .doubleColon else {
            throw ParseError(
                .unexpectedToken,
                "expected an entity uid, found the name `\(type)`; an entity uid is written `\(type)::\"id\"`",
                at: current.start)
        }
        try advance()
        guard current.kind == .string else { throw unexpected(expected: "an entity id string after `::`") }
        let id = try unescapedString(current)
        try advance()
        return EntityUID(type: EntityType(type), id: id)
    }

    // MARK: - Annotations, effect and conditions

    private func parseAnnotations() throws(ParseError) -> [Annotation] {
        var annotations: [Annotation] = []
        var keys = Set<String>()
        while current.kind == .at {
            let start = current.start
            try advance()
            // Any identifier is a valid key, reserved words included.
            guard current.kind == .identifier else { throw unexpected(expected: "an annotation name after `@`") }
            let key = text(of: current)
            try advance()
            var value = ""
            if current.kind == .leftParen {
                try advance()
                guard current.kind == .string else { throw unexpected(expected: "a string annotation value") }
                value = try unescapedString(current)
                try advance()
                try expect(.rightParen, "`)` after the annotation value")
            }
            guard keys.insert(key).inserted else {
                throw ParseError(.duplicateAnnotation, "duplicate annotation `@\(key)`", at: start)
            }
            annotations.append(Annotation(key: key, value: value))
        }
        return annotations
    }

    private func parseEffect() throws(ParseError) -> Effect {
        guard current.kind == .identifier else { throw unexpected(expected: "`permit` or `forbid`") }
        let effect: Effect
        switch current.keyword {
        case .permit?: effect = .permit
        case .forbid?: effect = .forbid
        default:
            throw ParseError(
                .invalidEffect, "invalid policy effect `\(text(of: current))`; expected `permit` or `forbid`",
                at: current.start)
        }
        try advance()
        return effect
    }

    private func parseCondition() throws(ParseError) -> Condition {
        let kind: Condition.Kind
        switch current.keyword {
        case .when?: kind = .when
        case .unless?: kind = .unless
        default:
            throw ParseError(
                .invalidCondition, "invalid policy condition `\(text(of: current))`; expected `when` or `unless`",
                at: current.start)
        }
        try advance()
        try expect(.leftBrace, "`{` after `\(kind.rawValue)`")
        if current.kind == .rightBrace {
            throw ParseError(.invalidCondition, "the `\(kind.rawValue)` clause cannot be empty", at: current.start)
        }
        slotsForbiddenIn = kind.rawValue
        defer { slotsForbiddenIn = nil }
        let body = try parseExpr()
        try expect(.rightBrace, "`}`")
        return Condition(kind, body.expr)
    }

    // MARK: - Scope

    private func parseScope() throws(ParseError) -> (ScopeConstraint, ActionConstraint, ScopeConstraint) {
        var principal: ScopeConstraint?
        var action: ActionConstraint?
        var resource: ScopeConstraint?
        var position = 0
        while current.kind != .rightParen {
            switch position {
            case 0: principal = try parsePrincipalOrResource(.principal)
            case 1: action = try parseActionScope()
            case 2: resource = try parsePrincipalOrResource(.resource)
            default:
                guard current.kind != .end else { throw unexpected(expected: "`)`") }
                throw ParseError(
                    .invalidScope,
                    "this policy has an extra element in the scope: \(currentDescription)",
                    at: current.start)
            }
            position += 1
            guard current.kind == .comma else { break }
            try advance()
        }
        let close = try expect(.rightParen, "`,` or `)`")
        guard let principal, let action, let resource else {
            let missing = principal == nil ? "principal" : action == nil ? "action" : "resource"
            throw ParseError(
                .invalidScope, "this policy is missing the `\(missing)` variable in the scope", at: close.start)
        }
        return (principal, action, resource)
    }

    /// Consumes the scope variable `expected`.
    private func parseScopeVariable(_ expected: Variable) throws(ParseError) {
        guard current.kind == .identifier else { throw unexpected(expected: "`\(expected.rawValue)`") }
        guard let variable = current.keyword?.variable, variable != .context else {
            throw ParseError(
                .invalidScope,
                "found an invalid variable in the policy scope: `\(text(of: current))`; "
                    + "expected `\(expected.rawValue)`",
                at: current.start)
        }
        guard variable == expected else {
            throw ParseError(
                .invalidScope,
                "found the variable `\(variable.rawValue)` where the variable `\(expected.rawValue)` must be used",
                at: current.start)
        }
        try advance()
        if current.kind == .colon {
            throw ParseError(.invalidScope, "type constraints using `:` are not supported", at: current.start)
        }
    }

    private func parsePrincipalOrResource(_ variable: Variable) throws(ParseError) -> ScopeConstraint {
        try parseScopeVariable(variable)
        var type: EntityType?
        if at(.is) {
            try advance()
            type = try parseEntityTypeName()
        }
        if at(.in) {
            try advance()
            let reference = try parseScopeReference(for: variable)
            if at(.is) {
                throw ParseError(
                    .invalidScope, "when `is` and `in` are used together, `is` must come first", at: current.start)
            }
            return type.map { .isIn($0, reference) } ?? .in(reference)
        }
        if current.kind == .equal {
            if type != nil {
                throw ParseError(.invalidScope, "`is` cannot be used together with `==`", at: current.start)
            }
            try advance()
            return .equal(try parseScopeReference(for: variable))
        }
        try rejectScopeOperator(in: "policy scope")
        return type.map(ScopeConstraint.is) ?? .any
    }

    private func parseActionScope() throws(ParseError) -> ActionConstraint {
        try parseScopeVariable(.action)
        let constraint: ActionConstraint
        if at(.in) {
            try advance()
            constraint = try withOptionalParentheses { (parser: Parser) throws(ParseError) in
                guard parser.current.kind == .leftBracket else { return .in(try parser.parseActionEntity()) }
                // Rust keeps `in [A]` and `in A` as the same constraint (and writes both
                // as `"entity"` in JSON), so a one-element list becomes `.in`.
                let entities = try parser.parseActionEntities()
                if entities.count == 1, let only = entities.first { return .in(only) }
                return .inSet(entities)
            }
        } else if current.kind == .equal {
            try advance()
            constraint = .equal(try parseActionEntity())
        } else {
            try rejectScopeOperator(in: "action scope")
            constraint = .any
        }
        if at(.is) {
            throw ParseError(.invalidScope, "`is` cannot appear in the action scope", at: current.start)
        }
        return constraint
    }

    /// Throws if `current` is an operator other than `==` and `in` where a scope
    /// constraint could be.
    private func rejectScopeOperator(in place: String) throws(ParseError) {
        switch current.kind {
        case .assign:
            throw ParseError(
                .invalidOperator, "`=` is not a valid operator in Cedar; use `==` to test equality", at: current.start)
        case .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            throw ParseError(
                .invalidScope, "invalid operator in the \(place): `\(current.kind.spelling)`", at: current.start)
        default:
            return
        }
    }

    /// `[A, B, ...]` in `action in [...]`, trailing comma allowed.
    private func parseActionEntities() throws(ParseError) -> [EntityUID] {
        try advance()
        var entities: [EntityUID] = []
        while current.kind != .rightBracket {
            entities.append(try parseActionEntity())
            guard current.kind == .comma else { break }
            try advance()
        }
        try expect(.rightBracket, "`,` or `]`")
        return entities
    }

    /// An action entity uid, possibly parenthesized; its type must be an action type.
    private func parseActionEntity() throws(ParseError) -> EntityUID {
        let start = current.start
        let uid = try withOptionalParentheses { (parser: Parser) throws(ParseError) in
            try parser.parseScopeEntityUID(for: .action)
        }
        guard uid.type.isAction else {
            throw ParseError(.invalidScope, "expected an entity uid with type `Action` but got `\(uid)`", at: start)
        }
        return uid
    }

    /// The entity uid or matching slot after `principal ==`, `resource in`, etc.
    private func parseScopeReference(for variable: Variable) throws(ParseError) -> EntityReference {
        try withOptionalParentheses { (parser: Parser) throws(ParseError) -> EntityReference in
            switch parser.current.kind {
            case .slot:
                let token = parser.current
                let slot = try parser.slot(token)
                guard slot.rawValue == "?" + variable.rawValue else {
                    throw ParseError(
                        .invalidSlot, "expected an entity uid or `?\(variable.rawValue)`, found `\(slot)`",
                        at: token.start)
                }
                try parser.advance()
                return .slot(slot)
            case .leftBracket:
                throw ParseError(
                    .invalidScope,
                    "expected a single entity uid or `?\(variable.rawValue)`, found a set; "
                        + "only `action in` takes a set",
                    at: parser.current.start)
            default:
                return .entity(try parser.parseScopeEntityUID(for: variable))
            }
        }
    }

    /// An entity uid in the scope, with messages that say what else would be accepted.
    private func parseScopeEntityUID(for variable: Variable) throws(ParseError) -> EntityUID {
        let wanted = variable == .action ? "an entity uid" : "an entity uid or `?\(variable.rawValue)`"
        switch current.kind {
        case .identifier where current.keyword != .true && current.keyword != .false:
            break
        case .slot:
            throw ParseError(.invalidSlot, "template slots cannot appear in the action scope", at: current.start)
        default:
            throw ParseError(
                .invalidScope, "expected \(wanted), found \(currentDescription)", at: current.start)
        }
        let type = try parseName(role: "an entity type name")
        guard current.kind == .doubleColon else {
            let hint = variable == .action ? "" : "; use `is` to test for an entity type"
            throw ParseError(.invalidScope, "expected \(wanted), found the name `\(type)`\(hint)", at: current.start)
        }
        try advance()
        guard current.kind == .string else { throw unexpected(expected: "an entity id string after `::`") }
        let id = try unescapedString(current)
        try advance()
        return EntityUID(type: EntityType(type), id: id)
    }

    /// Runs `body` inside any number of parentheses, as Rust allows around scope entities.
    private func withOptionalParentheses<T>(
        _ body: (Parser) throws(ParseError) -> T
    ) throws(ParseError) -> T {
        guard current.kind == .leftParen else { return try body(self) }
        try enter()
        defer { leave() }
        try advance()
        let result = try withOptionalParentheses(body)
        try expect(.rightParen, "`)`")
        return result
    }
}
