/// A recursive-descent parser for Cedar's human schema format, accepting what Rust
/// Cedar's `cedar_schema/grammar.lalrpop` accepts. Declarations are parsed by
/// `CedarSchemaParser+Declarations`, types and names here.
///
/// Hostile input is bounded: text longer than `SchemaFragment.maxInputBytes` and types
/// nested deeper than `SchemaFragment.maxNestingDepth` (or than the thread's stack
/// allows) are errors, never crashes.
final class CedarSchemaParser {
    typealias Document = CedarSchemaDocument
    typealias TypeExpr = SchemaFragment.TypeExpr

    private var lexer: CedarSchemaLexer
    /// The token being looked at.
    private(set) var current: SchemaToken
    /// Where the last consumed token started; a `;` right after a namespace's `}` gets
    /// a hint.
    private(set) var previous: SchemaToken?
    /// How many types enclose the current position.
    private var depth = 0
    /// Where this thread's stack ends; looked up once nesting gets deep.
    private lazy var stackLimit = StackLimit()
    /// The nesting depth from which `enter()` also checks the stack.
    private static let stackCheckDepth = 8

    /// Parses a whole `.cedarschema` text.
    static func parse(_ text: String) throws(SchemaError) -> Document {
        guard text.utf8.count <= SchemaFragment.maxInputBytes else {
            throw SchemaError(
                .inputTooLarge,
                "the schema is \(text.utf8.count) bytes long, more than the limit of \(SchemaFragment.maxInputBytes)",
                at: SourceLocation(line: 1, column: 1, offset: 0))
        }
        let parser = try CedarSchemaParser(text)
        return try parser.parseDocument()
    }

    private init(_ text: String) throws(SchemaError) {
        lexer = CedarSchemaLexer(text)
        current = try lexer.next()
    }

    // MARK: - Tokens

    /// Consumes `current` and moves to the next token.
    func advance() throws(SchemaError) {
        previous = current
        current = try lexer.next()
    }

    /// Whether `current` is the identifier `keyword`.
    func at(_ keyword: StaticString) -> Bool {
        guard current.kind == .identifier else { return false }
        return keyword.withUTF8Buffer { lexer.bytes[current.range].elementsEqual($0) }
    }

    /// Consumes a token of `kind`, or throws an error saying `expected` was wanted.
    func expect(_ kind: SchemaToken.Kind, _ expected: String) throws(SchemaError) {
        guard current.kind == kind else { throw unexpected(expected: expected) }
        try advance()
    }

    /// Consumes the keyword `keyword`, or throws.
    func expect(keyword: StaticString) throws(SchemaError) {
        guard at(keyword) else { throw unexpected(expected: "`\(keyword)`") }
        try advance()
    }

    /// The source text of a token.
    func text(of token: SchemaToken) -> String {
        String(decoding: lexer.bytes[token.range], as: UTF8.self)
    }

    /// An error for `current` not being what the grammar wants here.
    func unexpected(expected: String, hint: String? = nil) -> SchemaError {
        var message =
            current.kind == .end
            ? "unexpected end of input; expected \(expected)"
            : "unexpected token `\(text(of: current).truncatedForMessage)`; expected \(expected)"
        if let hint { message += "; \(hint)" }
        return SchemaError(.unexpectedToken, message, at: current.start)
    }

    // MARK: - Limits

    /// Enters a nested type; pair with `leave()`. Beyond `maxNestingDepth`, or when
    /// the thread's stack is nearly used up, this throws `nestingTooDeep`.
    private func enter() throws(SchemaError) {
        guard depth < SchemaFragment.maxNestingDepth else {
            throw SchemaError(
                .nestingTooDeep, "types nest more than \(SchemaFragment.maxNestingDepth) levels deep",
                at: current.start)
        }
        if depth >= Self.stackCheckDepth, let limit = stackLimit, !limit.hasRoom {
            throw SchemaError(
                .nestingTooDeep, "types nest too deeply for the stack of the thread parsing them", at: current.start)
        }
        depth += 1
    }

    private func leave() {
        depth -= 1
    }

    // MARK: - Types

    /// `Type := Path | 'Set' '<' Type '>' | '{' AttrDecls? '}'`
    func parseType() throws(SchemaError) -> TypeExpr {
        if current.kind == .leftBrace { return .record(try parseRecord()) }
        guard current.kind == .identifier else { throw unexpected(expected: "a type") }
        let isSetKeyword = at("Set")
        let path = try parsePath()
        guard isSetKeyword, !path.isQualified, current.kind == .less else { return .entityOrCommon(path) }
        try advance()
        try enter()
        let element = try parseType()
        leave()
        try expect(.greater, "`>`")
        return .set(element)
    }

    /// `'{' [AttrDecl {',' AttrDecl} [',']] '}'` where
    /// `AttrDecl := Annotation* Name ['?'] ':' Type`. A later attribute of the same
    /// name replaces an earlier one, as in Rust Cedar.
    func parseRecord() throws(SchemaError) -> SchemaFragment.Record {
        try expect(.leftBrace, "`{`")
        try enter()
        var attributes: [SchemaFragment.Attribute] = []
        while current.kind != .rightBrace {
            let annotations = try parseAnnotations()
            let name = try parseName(as: "an attribute name")
            let isRequired = current.kind != .question
            if !isRequired { try advance() }
            try expect(.colon, isRequired ? "`?` or `:`" : "`:`")
            let type = try parseType()
            attributes.append(
                SchemaFragment.Attribute(name: name.text, type: type, isRequired: isRequired, annotations: annotations))
            guard current.kind == .comma else { break }
            try advance()
        }
        try expect(.rightBrace, attributes.isEmpty ? "an attribute or `}`" : "`,` or `}`")
        leave()
        return SchemaFragment.Record(replacingDuplicates: attributes)
    }

    /// `EntTypes := Path | '[' [Path {',' Path}] ']'` (no trailing comma).
    func parseEntityTypes() throws(SchemaError) -> [SchemaFragment.Name] {
        guard current.kind == .leftBracket else { return [try parsePath()] }
        try advance()
        var names: [SchemaFragment.Name] = []
        if current.kind != .rightBracket {
            names.append(try parsePath())
            while current.kind == .comma {
                try advance()
                names.append(try parsePath())
            }
        }
        try expect(.rightBracket, names.isEmpty ? "an entity type or `]`" : "`,` or `]`")
        return names
    }

    // MARK: - Names

    /// `Path := Ident {'::' Ident}`
    func parsePath() throws(SchemaError) -> SchemaFragment.Name {
        let first = try parseIdentifier(as: "a name")
        var text = first.text
        while current.kind == .doubleColon {
            try advance()
            text += "::" + (try parseIdentifier(as: "a name")).text
        }
        return SchemaFragment.Name(text: text, location: .init(first.location))
    }

    /// `Ident`: an identifier that is not a reserved word (`in`, `if`, `true`, ...).
    func parseIdentifier(as role: String) throws(SchemaError) -> Document.Spelling {
        guard current.kind == .identifier else { throw unexpected(expected: role) }
        let spelling = Document.Spelling(text: text(of: current), location: current.start)
        if SchemaNames.isReservedWord(spelling.text) {
            throw SchemaError(
                .reservedIdentifier, "`\(spelling.text)` is a reserved word and cannot be used as \(role)",
                at: spelling.location)
        }
        try advance()
        return spelling
    }

    /// `Name := Ident | STR`
    func parseName(as role: String) throws(SchemaError) -> Document.Spelling {
        if current.kind == .string {
            return Document.Spelling(text: try parseString(), location: previous?.start ?? current.start)
        }
        return try parseIdentifier(as: role)
    }

    /// A string literal, with its escapes decoded.
    func parseString() throws(SchemaError) -> String {
        guard current.kind == .string else { throw unexpected(expected: "a string literal") }
        let token = current
        let content = lexer.bytes[(token.range.lowerBound + 1)..<(token.range.upperBound - 1)]
        switch StringEscapes.string(content) {
        case .success(let string):
            try advance()
            return string
        case .failure(let failure):
            throw SchemaError(.invalidEscape, failure.message, at: location(ofOffset: failure.offset, in: token))
        }
    }

    /// `Annotation* := {'@' AnyIdent ['(' STR ')']}`; a key may appear once.
    func parseAnnotations() throws(SchemaError) -> SchemaFragment.Annotations {
        var entries: [SchemaFragment.Annotations.Entry] = []
        var keys: Set<String> = []
        while current.kind == .at {
            try advance()
            guard current.kind == .identifier else { throw unexpected(expected: "an annotation name") }
            let key = text(of: current)
            let location = current.start
            try advance()
            var value = ""
            if current.kind == .leftParen {
                try advance()
                value = try parseString()
                try expect(.rightParen, "`)`")
            }
            guard keys.insert(key).inserted else {
                throw SchemaError(
                    .duplicateAnnotation, "duplicate annotation `@\(key.truncatedForMessage)`", at: location)
            }
            entries.append(SchemaFragment.Annotations.Entry(key: key, value: value))
        }
        return SchemaFragment.Annotations(uniqueEntries: entries)
    }

    /// The location of byte `offset` inside `token`, for errors within a string.
    private func location(ofOffset offset: Int, in token: SchemaToken) -> SourceLocation {
        var location = token.start
        var index = token.start.offset
        while index < offset, index < lexer.bytes.count {
            let byte = lexer.bytes[index]
            if byte == UInt8(ascii: "\n") {
                location.line += 1
                location.column = 1
            } else if byte & 0xC0 != 0x80 {
                location.column += 1
            }
            index += 1
        }
        location.offset = index
        return location
    }
}
