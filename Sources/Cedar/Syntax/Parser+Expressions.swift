/// Cedar's operators, loosest first:
///
///     Expr     := 'if' Expr 'then' Expr 'else' Expr | Or
///     Or       := And {'||' And}
///     And      := Relation {'&&' Relation}
///     Relation := Add [RelOp Add] | Add 'has' Attrs | Add 'like' STR | Add 'is' Name ['in' Add]
///     Add      := Mult {('+' | '-') Mult}
///     Mult     := Unary {'*' Unary}
///     Unary    := ['!'{1,4} | '-'{1,4}] Member
///
/// Binary operators associate to the left. Relational operators do not chain:
/// `a < b < c` is an error, as in Rust Cedar. An `if` is only allowed where a whole
/// `Expr` is (so `1 + if ...` needs parentheses).
///
/// The functions on the recursive path (one call each per nesting level) build no
/// messages and leave non-recursive work to `@inline(never)` helpers, so that each
/// level of nesting costs little stack.
extension Parser {
    /// Parses `Expr`.
    func parseExpr() throws(ParseError) -> Parsed {
        try enter()
        defer { leave() }
        guard at(.if) else { return try parseOr() }
        let start = current.start
        try advance()
        let condition = try parseExpr()
        try expectKeyword(.then)
        let then = try parseExpr()
        try expectKeyword(.else)
        let otherwise = try parseExpr()
        return try node(
            .ifThenElse(condition.expr, then: then.expr, else: otherwise.expr), from: start,
            above: max(condition.height, then.height, otherwise.height))
    }

    @inline(never)
    private func expectKeyword(_ keyword: Keyword) throws(ParseError) {
        guard at(keyword) else { throw unexpected(expected: "`\(keyword.rawValue)`") }
        try advance()
    }

    private func parseOr() throws(ParseError) -> Parsed {
        let start = current.start
        var left = try parseAnd()
        while current.kind == .or {
            try advance()
            let right = try parseAnd()
            left = try node(.or(left.expr, right.expr), from: start, above: max(left.height, right.height))
        }
        return left
    }

    private func parseAnd() throws(ParseError) -> Parsed {
        let start = current.start
        var left = try parseRelation()
        while current.kind == .and {
            try advance()
            let right = try parseRelation()
            left = try node(.and(left.expr, right.expr), from: start, above: max(left.height, right.height))
        }
        return left
    }

    private func parseRelation() throws(ParseError) -> Parsed {
        let start = current.start
        let left = try parseAdd()
        if let op = try relationalOperator() {
            try advance()
            let right = try parseAdd()
            if try relationalOperator() != nil { throw .chainedRelations(text(of: current), at: current.start) }
            return try node(.binary(op, left.expr, right.expr), from: start, above: max(left.height, right.height))
        }
        guard current.kind == .identifier else { return left }
        switch current.keyword {
        case .has?:
            return try parseHas(left, from: start)
        case .like?:
            return try parseLike(left, from: start)
        case .is?:
            let type = try parseIs()
            guard at(.in) else { return try node(.isType(left.expr, type, in: nil), from: start, above: left.height) }
            try advance()
            let other = try parseAdd()
            return try node(
                .isType(left.expr, type, in: other.expr), from: start, above: max(left.height, other.height))
        default:
            return left
        }
    }

    /// The relational operator at `current`, if it is one; a lone `=` is an error.
    private func relationalOperator() throws(ParseError) -> BinaryOperator? {
        switch current.kind {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        case .identifier where current.keyword == .in: return .in
        case .assign: throw .singleEquals(at: current.start)
        default: return nil
        }
    }

    private func parseAdd() throws(ParseError) -> Parsed {
        let start = current.start
        var left = try parseMult()
        while current.kind == .plus || current.kind == .minus {
            let op: BinaryOperator = current.kind == .plus ? .add : .subtract
            try advance()
            let right = try parseMult()
            left = try node(.binary(op, left.expr, right.expr), from: start, above: max(left.height, right.height))
        }
        return left
    }

    private func parseMult() throws(ParseError) -> Parsed {
        let start = current.start
        var left = try parseUnary()
        while true {
            switch current.kind {
            case .star:
                try advance()
                let right = try parseUnary()
                left = try node(
                    .binary(.multiply, left.expr, right.expr), from: start, above: max(left.height, right.height))
            case .slash, .percent:
                throw .unsupportedOperator(current.kind, at: current.start)
            default:
                return left
            }
        }
    }

    /// `!` and `-` repeat at most four times, and do not mix (`!-x` needs parentheses).
    /// A `-` directly before a number literal makes a negative literal, so that
    /// `-9223372036854775808` is the least long.
    private func parseUnary() throws(ParseError) -> Parsed {
        let start = current.start
        let op = current.kind
        guard op == .bang || op == .minus else { return try parseMember() }
        var count = 0
        while current.kind == op {
            guard count < 4 else { throw .tooManyUnaryOperators(op, at: current.start) }
            count += 1
            try advance()
        }
        var operand: Parsed
        if op == .minus, current.kind == .number, !peek().kind.startsAccess {
            operand = try parseNegativeLiteral(from: start)
            count -= 1
        } else {
            operand = try parseMember()
        }
        for _ in 0..<count {
            let kind: Expr.Kind = op == .bang ? .not(operand.expr) : .negate(operand.expr)
            operand = try node(kind, from: start, above: operand.height)
        }
        return operand
    }

    /// The number at `current`, negated; `9223372036854775808` is allowed here.
    @inline(never)
    private func parseNegativeLiteral(from start: SourceLocation) throws(ParseError) -> Parsed {
        let token = current
        let magnitude = magnitude(of: token)
        let value: Int64
        switch magnitude {
        case let m? where m <= UInt64(Int64.max): value = -Int64(m)
        case let m? where m == UInt64(Int64.max) + 1: value = .min
        default: throw .integerTooLarge("-" + text(of: token), at: start)
        }
        try advance()
        return leaf(.value(.long(value)), from: start)
    }

    /// The value of a number token, or nil when it does not fit in 64 bits.
    func magnitude(of token: Token) -> UInt64? {
        var value: UInt64 = 0
        for byte in bytes(of: token) {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    // MARK: - has, like, is

    /// `e has a`, `e has "a b"`, or `e has a.b.c`, which means
    /// `e has a && e.a has b && e.a.b has c` (folded to the left, as Rust does).
    @inline(never)
    private func parseHas(_ target: Parsed, from start: SourceLocation) throws(ParseError) -> Parsed {
        try advance()
        let attributes = try parseHasAttributes()
        var result = try node(.hasAttribute(target.expr, attributes[0]), from: start, above: target.height)
        var path = target
        for index in attributes.indices.dropFirst() {
            path = try node(.getAttribute(path.expr, attributes[index - 1]), from: start, above: path.height)
            let test = try node(.hasAttribute(path.expr, attributes[index]), from: start, above: path.height)
            result = try node(.and(result.expr, test.expr), from: start, above: max(result.height, test.height))
        }
        return result
    }

    /// The attribute names after `has`: one string, or identifiers separated by `.`.
    private func parseHasAttributes() throws(ParseError) -> [String] {
        if current.kind == .string {
            let attribute = try unescapedString(current)
            try advance()
            if current.kind.startsAccess {
                throw ParseError(
                    .invalidAttribute, "unexpected `\(text(of: current))` after the attribute string of `has`",
                    at: current.start)
            }
            return [attribute]
        }
        guard current.kind == .identifier else {
            throw ParseError(
                .invalidAttribute,
                "unexpected \(currentDescription) after `has`; expected an attribute name",
                at: current.start)
        }
        var attributes = [try attributeName(current)]
        try advance()
        if current.kind == .doubleColon {
            throw ParseError(
                .invalidAttribute,
                "an attribute name cannot contain a namespace: unexpected `::` after `\(attributes[0])`",
                at: current.start)
        }
        while current.kind == .dot {
            try advance()
            guard current.kind == .identifier else { throw unexpected(expected: "an attribute name") }
            attributes.append(try attributeName(current))
            try advance()
        }
        if current.kind == .leftParen || current.kind == .leftBracket {
            throw ParseError(
                .invalidAttribute,
                "unexpected `\(text(of: current))` after `has`; expected attribute names separated by `.`",
                at: current.start)
        }
        return attributes
    }

    /// `e like "pattern"`, where `*` is a wildcard and `\*` a literal star.
    @inline(never)
    private func parseLike(_ target: Parsed, from start: SourceLocation) throws(ParseError) -> Parsed {
        try advance()
        let pattern = try parsePattern()
        return try node(.like(target.expr, pattern), from: start, above: target.height)
    }

    /// The pattern after `like`: a string literal alone.
    private func parsePattern() throws(ParseError) -> Pattern {
        guard current.kind == .string else {
            throw ParseError(
                .invalidPattern,
                "the right side of `like` must be a pattern string, but got \(currentDescription)",
                at: current.start)
        }
        let token = current
        try advance()
        if current.kind.startsAccess {
            throw ParseError(
                .invalidPattern,
                "the right side of `like` must be a pattern string alone; unexpected `\(text(of: current))`",
                at: current.start)
        }
        switch StringEscapes.pattern(stringContents(of: token)) {
        case .success(let elements): return Pattern(elements)
        case .failure(let failure):
            throw ParseError(.invalidEscape, failure.message, at: location(ofOffset: failure.offset, in: token))
        }
    }

    /// Consumes `is` and the entity type after it.
    @inline(never)
    private func parseIs() throws(ParseError) -> EntityType {
        try advance()
        return try parseEntityTypeName()
    }

    /// An entity type after `is`: a name such as `User` or `App::User`.
    @inline(never)
    func parseEntityTypeName() throws(ParseError) -> EntityType {
        let start = current.start
        guard current.kind == .identifier, current.keyword != .true, current.keyword != .false else {
            throw ParseError(
                .invalidEntityType,
                "the right side of `is` must be an entity type name, but got \(currentDescription)",
                at: current.start)
        }
        let type = try parseName(role: "an entity type name")
        if current.kind == .doubleColon || current.kind.startsAccess {
            throw ParseError(
                .invalidEntityType,
                "the right side of `is` must be an entity type name alone, but `\(type)` is followed by "
                    + "`\(text(of: current))`",
                at: start)
        }
        return EntityType(type)
    }
}

extension Token.Kind {
    /// Whether this token starts a member access or call: `.`, `[` or `(`.
    var startsAccess: Bool { self == .dot || self == .leftBracket || self == .leftParen }
}
