/// The tightest-binding part of Cedar's grammar:
///
///     Member    := Primary {'.' IDENT | '.' IDENT '(' Args ')' | '(' Args ')' | '[' STR ']'}
///     Primary   := 'true' | 'false' | INT | STR | Name '::' STR | Name | '?principal'
///                | '?resource' | '(' Expr ')' | '[' Args ']' | '{' [Key ':' Expr {',' ...}] '}'
///
/// A bare `Name` is only meaningful as a variable (`principal`, `action`, `resource`,
/// `context`) or as the name of a function being called, so what follows a primary
/// decides what it means, as in Rust Cedar.
extension Parser {
    /// What a primary turned out to be, before the accesses after it are applied.
    private enum Head {
        /// A name that is not a variable, such as `ip` or `A::b`: only callable.
        case name(String)
        /// A request variable, which can be accessed but not called.
        case variable(Parsed)
        /// Any other expression.
        case value(Parsed)
    }

    /// The names of the methods every Cedar value type offers, which have AST cases of their own.
    private static let builtinMethods: Set<String> = [
        "contains", "containsAll", "containsAny", "isEmpty", "getTag", "hasTag",
    ]

    /// Parses `Member`: a primary followed by attribute accesses, indexing and calls.
    func parseMember() throws(ParseError) -> Parsed {
        let start = current.start
        var head = try parsePrimary()
        while true {
            switch current.kind {
            case .dot:
                let nameToken = try parseMemberName()
                if current.kind == .leftParen {
                    let arguments = try parseArguments()
                    head = .value(try methodCall(on: head, nameToken, arguments, from: start))
                } else {
                    head = .value(try attributeAccess(on: head, nameToken, from: start))
                }
            case .leftBracket:
                head = .value(try parseIndex(on: head, from: start))
            case .leftParen:
                let callStart = current.start
                let arguments = try parseArguments()
                head = .value(try functionCall(head, arguments, at: callStart, from: start))
            default:
                switch head {
                case .value(let parsed), .variable(let parsed): return parsed
                case .name(let name): throw .unknownVariable(name, at: start)
                }
            }
        }
    }

    /// Consumes `.` and the identifier after it.
    @inline(never)
    private func parseMemberName() throws(ParseError) -> Token {
        try advance()
        guard current.kind == .identifier else { throw unexpected(expected: "an attribute or method name") }
        let token = current
        _ = try attributeName(token)
        try advance()
        return token
    }

    /// `head.name`
    @inline(never)
    private func attributeAccess(
        on head: Head, _ nameToken: Token, from start: SourceLocation
    ) throws(ParseError) -> Parsed {
        let name = text(of: nameToken)
        switch head {
        case .name(let owner):
            throw ParseError(
                .invalidCall, "invalid member access `\(owner).\(name)`: `\(owner)` has no fields or methods",
                at: nameToken.start)
        case .value(let receiver), .variable(let receiver):
            return try node(.getAttribute(receiver.expr, name), from: start, above: receiver.height)
        }
    }

    /// `head["key"]`
    @inline(never)
    private func parseIndex(on head: Head, from start: SourceLocation) throws(ParseError) -> Parsed {
        try advance()
        guard current.kind == .string else {
            throw ParseError(
                .invalidAttribute, "the contents of an index expression must be a string literal", at: current.start)
        }
        let keyToken = current
        let key = try unescapedString(keyToken)
        try advance()
        try expect(.rightBracket, "`]`")
        switch head {
        case .name(let owner):
            throw ParseError(
                .invalidCall, "invalid indexing expression `\(owner)[\(text(of: keyToken))]`: `\(owner)` has no fields",
                at: keyToken.start)
        case .value(let receiver), .variable(let receiver):
            return try node(.getAttribute(receiver.expr, key), from: start, above: receiver.height)
        }
    }

    /// `receiver.name(arguments)`: a built-in method or an extension method.
    @inline(never)
    private func methodCall(
        on head: Head, _ nameToken: Token, _ arguments: [Parsed], from start: SourceLocation
    ) throws(ParseError) -> Parsed {
        let name = text(of: nameToken)
        let receiver: Parsed
        switch head {
        case .value(let parsed), .variable(let parsed): receiver = parsed
        case .name(let owner):
            throw ParseError(
                .invalidCall, "attempted to call `\(owner).\(name)(...)`, but `\(owner)` does not have any methods",
                at: nameToken.start)
        }
        func binary(_ op: BinaryOperator) throws(ParseError) -> Parsed {
            guard arguments.count == 1 else { throw wrongArity(name, expected: 1, got: arguments.count, at: nameToken) }
            return try node(
                .binary(op, receiver.expr, arguments[0].expr), from: start,
                above: max(receiver.height, arguments[0].height))
        }
        switch name {
        case "contains": return try binary(.contains)
        case "containsAll": return try binary(.containsAll)
        case "containsAny": return try binary(.containsAny)
        case "getTag": return try binary(.getTag)
        case "hasTag": return try binary(.hasTag)
        case "isEmpty":
            guard arguments.isEmpty else { throw wrongArity(name, expected: 0, got: arguments.count, at: nameToken) }
            return try node(.isEmpty(receiver.expr), from: start, above: receiver.height)
        default:
            switch ExtensionCatalog.signatures[name]?.style {
            case .method?:
                // Rust Cedar checks the number of arguments when evaluating, not here.
                return try node(
                    .call(name, [receiver.expr] + arguments.map(\.expr)), from: start,
                    above: max(receiver.height, arguments.maxHeight))
            case .function?:
                throw ParseError(
                    .unknownFunction, "`\(name)` is a function, not a method; call it as `\(name)(...)`",
                    at: nameToken.start)
            case nil:
                throw ParseError(.unknownFunction, "`\(name)` is not a valid method", at: nameToken.start)
            }
        }
    }

    /// `name(arguments)`: an extension function.
    @inline(never)
    private func functionCall(
        _ head: Head, _ arguments: [Parsed], at callStart: SourceLocation, from start: SourceLocation
    ) throws(ParseError) -> Parsed {
        let name: String
        switch head {
        case .name(let n): name = n
        case .variable:
            throw ParseError(
                .invalidCall, "`\(source(from: start))(...)` is not a valid function call: a variable cannot be called",
                at: callStart)
        case .value:
            throw ParseError(
                .invalidCall, "function calls must be of the form `<name>(arg1, arg2, ...)`", at: callStart)
        }
        if Self.builtinMethods.contains(name) || ExtensionCatalog.signatures[name]?.style == .method {
            throw ParseError(
                .unknownFunction, "`\(name)` is a method, not a function; call it as `receiver.\(name)(...)`", at: start
            )
        }
        guard ExtensionCatalog.signatures[name]?.style == .function else {
            throw ParseError(.unknownFunction, "`\(name)` is not a valid function", at: start)
        }
        // Rust Cedar checks the number of arguments when evaluating, not here.
        return try node(.call(name, arguments.map(\.expr)), from: start, above: arguments.maxHeight)
    }

    private func wrongArity(_ name: String, expected: Int, got: Int, at token: Token) -> ParseError {
        func arguments(_ n: Int) -> String { n == 1 ? "1 argument" : "\(n) arguments" }
        return ParseError(
            .wrongArity, "`\(name)` takes exactly \(arguments(expected)), but got \(arguments(got))", at: token.start)
    }

    // MARK: - Primaries

    private func parsePrimary() throws(ParseError) -> Head {
        switch current.kind {
        case .identifier:
            return try parseNamePrimary()
        case .number, .string, .slot:
            return .value(try parseLiteral())
        case .leftParen:
            try advance()
            let inner = try parseExpr()
            try expect(.rightParen, "`)`")
            return .value(inner)
        case .leftBracket:
            return .value(try parseSet())
        case .leftBrace:
            return .value(try parseRecord())
        default:
            throw unexpected(expected: "an expression")
        }
    }

    /// A number, string or slot.
    @inline(never)
    private func parseLiteral() throws(ParseError) -> Parsed {
        let token = current
        let kind: Expr.Kind
        switch token.kind {
        case .number:
            guard let magnitude = magnitude(of: token), magnitude <= UInt64(Int64.max) else {
                throw .integerTooLarge(text(of: token), at: token.start)
            }
            kind = .value(.long(Int64(magnitude)))
        case .string:
            kind = .value(.string(try unescapedString(token)))
        default:
            kind = .slot(try slot(token))
        }
        try advance()
        return leaf(kind, from: token.start)
    }

    /// A primary starting with an identifier: `true`, `false`, a variable, an entity
    /// uid, or a name (which only a call can follow).
    @inline(never)
    private func parseNamePrimary() throws(ParseError) -> Head {
        let start = current.start
        switch current.keyword {
        case .true?, .false?:
            let value = current.keyword == .true
            try advance()
            return .value(leaf(.value(.bool(value)), from: start))
        case .if?:
            throw unexpected(expected: "an expression (an `if` expression needs parentheses here)")
        default:
            break
        }
        if let variable = current.keyword?.variable, peek().kind != .doubleColon {
            try advance()
            return .variable(leaf(.variable(variable), from: start))
        }
        let name = try parseName(role: "a name")
        guard current.kind == .doubleColon else { return .name(name) }
        try advance()
        guard current.kind == .string else {
            if current.kind == .leftBrace {
                throw ParseError(
                    .unexpectedToken, "invalid entity literal: entity uids are written `\(name)::\"id\"`",
                    at: current.start)
            }
            throw unexpected(expected: "an identifier or an entity id string after `::`")
        }
        let id = try unescapedString(current)
        try advance()
        return .value(leaf(.value(.entity(EntityUID(type: EntityType(name), id: id))), from: start))
    }

    /// `?principal` or `?resource`, where slots are allowed.
    func slot(_ token: Token) throws(ParseError) -> SlotID {
        let spelling = text(of: token)
        guard let slot = SlotID(rawValue: spelling) else { throw .invalidSlot(spelling, at: token.start) }
        if let clause = slotsForbiddenIn { throw .slotInCondition(spelling, clause: clause, at: token.start) }
        return slot
    }

    private func parseSet() throws(ParseError) -> Parsed {
        let start = current.start
        try advance()
        var elements: [Parsed] = []
        while current.kind != .rightBracket {
            elements.append(try parseExpr())
            guard current.kind == .comma else { break }
            try advance()
        }
        try expect(.rightBracket, "`,` or `]`")
        return try node(.set(elements.map(\.expr)), from: start, above: elements.maxHeight)
    }

    private func parseRecord() throws(ParseError) -> Parsed {
        let start = current.start
        try advance()
        var fields: [RecordField] = []
        var values: [Parsed] = []
        var keys = Set<ScalarKey>()
        while current.kind != .rightBrace {
            let keyStart = current.start
            let key = try parseRecordKey()
            try expect(.colon, "`:` after the record key")
            let value = try parseExpr()
            guard keys.insert(ScalarKey(key)).inserted else { throw .duplicateKey(key, at: keyStart) }
            fields.append(RecordField(key: key, value: value.expr))
            values.append(value)
            guard current.kind == .comma else { break }
            try advance()
        }
        try expect(.rightBrace, "`,` or `}`")
        return try node(.record(fields), from: start, above: values.maxHeight)
    }

    /// A record key: an identifier (not a reserved word) or a string.
    @inline(never)
    private func parseRecordKey() throws(ParseError) -> String {
        let token = current
        switch token.kind {
        case .string:
            try advance()
            return try unescapedString(token)
        case .identifier:
            let key = try attributeName(token)
            try advance()
            if current.kind == .doubleColon {
                throw ParseError(
                    .invalidAttribute, "`\(key)::...` cannot be used as a record key as it contains a namespace",
                    at: token.start)
            }
            return key
        default:
            throw ParseError(
                .invalidAttribute,
                "invalid record key \(currentDescription); a key is an identifier or a string",
                at: token.start)
        }
    }

    /// `(` [Expr {',' Expr} [',']] `)`
    private func parseArguments() throws(ParseError) -> [Parsed] {
        try advance()
        var arguments: [Parsed] = []
        while current.kind != .rightParen {
            arguments.append(try parseExpr())
            guard current.kind == .comma else { break }
            try advance()
        }
        try expect(.rightParen, "`,` or `)`")
        return arguments
    }

    // MARK: - Names

    /// Parses `IDENT {'::' IDENT}`, stopping before a `::` that is not followed by an
    /// identifier. Every component must be a valid, unreserved identifier.
    func parseName(role: String) throws(ParseError) -> String {
        var name = try nameComponent(current, role: role)
        try advance()
        while current.kind == .doubleColon, peek().kind == .identifier {
            try advance()
            name += "::"
            name += try nameComponent(current, role: role)
            try advance()
        }
        return name
    }

    /// One identifier of a name; reserved words and `__cedar` are errors.
    private func nameComponent(_ token: Token, role: String) throws(ParseError) -> String {
        guard token.kind == .identifier else { throw unexpected(expected: "an identifier") }
        return try checkedIdentifier(token, role: role)
    }

    /// An identifier used as an attribute name or record key; reserved words and
    /// `__cedar` are errors.
    func attributeName(_ token: Token) throws(ParseError) -> String {
        try checkedIdentifier(token, role: "an attribute name")
    }

    private func checkedIdentifier(_ token: Token, role: String) throws(ParseError) -> String {
        let spelling = text(of: token)
        if token.keyword?.isReserved == true || spelling == "__cedar" {
            throw .reservedWord(spelling, as: role, at: token.start)
        }
        return spelling
    }

    // MARK: - Strings

    /// The value of a string token, with escapes decoded.
    func unescapedString(_ token: Token) throws(ParseError) -> String {
        switch StringEscapes.string(stringContents(of: token)) {
        case .success(let value): return value
        case .failure(let failure):
            throw ParseError(.invalidEscape, failure.message, at: location(ofOffset: failure.offset, in: token))
        }
    }

    /// The bytes between a string token's quotes.
    func stringContents(of token: Token) -> ArraySlice<UInt8> {
        let all = bytes(of: token)
        return all.dropFirst().dropLast()
    }
}

