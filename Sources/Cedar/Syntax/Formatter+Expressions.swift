/// Writes expressions on one line with the fewest parentheses that keep their shape
/// when parsed again.
struct ExpressionPrinter {
    /// How tightly an expression binds, loosest first. An expression printed where a
    /// tighter level is required is parenthesized.
    enum Level: Int, Comparable {
        case expression, or, and, relation, add, multiply, unary, member

        static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        /// The next tighter level.
        var tighter: Level { Level(rawValue: rawValue + 1) ?? .member }
    }

    /// Cedar allows at most this many `!` or `-` in a row.
    private static let maxUnaryRun = 4

    private(set) var output = ""

    /// Writes `expr`, parenthesized if it binds more loosely than `required`.
    mutating func write(_ expr: Expr, at required: Level) {
        if Self.level(of: expr) < required {
            output += "("
            writeBare(expr)
            output += ")"
        } else {
            writeBare(expr)
        }
    }

    static func level(of expr: Expr) -> Level {
        switch expr.kind {
        case .ifThenElse: return .expression
        case .or: return .or
        case .and: return .and
        case .hasAttribute, .like, .isType: return .relation
        case .binary(let op, _, _):
            switch op {
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .in: return .relation
            case .add, .subtract: return .add
            case .multiply: return .multiply
            case .contains, .containsAll, .containsAny, .hasTag, .getTag: return .member
            }
        case .not, .negate: return .unary
        case .value(.long(let n)) where n < 0: return .unary
        case .value, .variable, .slot, .getAttribute, .set, .record, .isEmpty, .call: return .member
        }
    }

    private mutating func writeBare(_ expr: Expr) {
        switch expr.kind {
        case .value(let value): writeValue(value)
        case .variable(let variable): output += variable.rawValue
        case .slot(let slot): output += slot.rawValue
        case .not, .negate: writeUnary(expr)
        case .and, .or: writeInfixChain(expr)
        case .binary(let op, let left, let right):
            switch op {
            case .add, .subtract, .multiply:
                writeInfixChain(expr)
            case .contains, .containsAll, .containsAny, .hasTag, .getTag:
                writePostfixChain(expr)
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .in:
                // Relations do not chain, so a relation on either side is parenthesized.
                write(left, at: .add)
                output += " " + op.rawValue + " "
                write(right, at: .add)
            }
        case .getAttribute, .isEmpty:
            writePostfixChain(expr)
        case .call(let name, let arguments):
            if Self.postfixLink(expr) != nil {
                writePostfixChain(expr)
            } else {
                output += name + "("
                writeList(arguments)
                output += ")"
            }
        case .ifThenElse(let condition, let then, let otherwise):
            output += "if "
            write(condition, at: .expression)
            output += " then "
            write(then, at: .expression)
            output += " else "
            write(otherwise, at: .expression)
        case .hasAttribute(let target, let attribute):
            write(target, at: .add)
            output += " has "
            output += Self.isPlainIdentifier(attribute) ? attribute : CedarStringLiteral.quote(attribute)
        case .like(let target, let pattern):
            write(target, at: .add)
            output += " like "
            writePattern(pattern)
        case .isType(let target, let type, let other):
            write(target, at: .add)
            output += " is " + type.name
            if let other {
                output += " in "
                write(other, at: .add)
            }
        case .set(let elements):
            output += "["
            writeList(elements)
            output += "]"
        case .record(let fields):
            output += "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { output += ", " }
                output += Self.isPlainIdentifier(field.key) ? field.key : CedarStringLiteral.quote(field.key)
                output += ": "
                write(field.value, at: .expression)
            }
            output += "}"
        }
    }

    // MARK: - Chains

    // Long chains such as `a || b || c ...` and `e.a.b.c ...` nest deeply on their left
    // side; they are written with loops so that the printer's recursion follows only
    // the nesting of parentheses, sets, records and calls.

    /// One link of a left-associative chain: `left symbol right`.
    private struct InfixLink {
        let level: Level
        let symbol: String
        let left: Expr
        let right: Expr
    }

    private static func infixLink(_ expr: Expr) -> InfixLink? {
        switch expr.kind {
        case .or(let left, let right): return InfixLink(level: .or, symbol: "||", left: left, right: right)
        case .and(let left, let right): return InfixLink(level: .and, symbol: "&&", left: left, right: right)
        case .binary(let op, let left, let right):
            switch op {
            case .add, .subtract: return InfixLink(level: .add, symbol: op.rawValue, left: left, right: right)
            case .multiply: return InfixLink(level: .multiply, symbol: op.rawValue, left: left, right: right)
            default: return nil
            }
        default:
            return nil
        }
    }

    /// The left-associative chain at the top of `expr`: `a op b op c` gives its level,
    /// the operators `[op, op]` and the operands `[a, b, c]`.
    private static func chain(_ expr: Expr) -> (level: Level, symbols: [String], operands: [Expr])? {
        guard let top = infixLink(expr) else { return nil }
        var links: [InfixLink] = []
        var first = expr
        while let link = infixLink(first), link.level == top.level {
            links.append(link)
            first = link.left
        }
        links.reverse()
        return (top.level, links.map(\.symbol), [first] + links.map(\.right))
    }

    /// Writes `a op b op c ...`. Every operand binds tighter than the chain: the first
    /// one is not a link of it, since the chain is followed down its left side.
    private mutating func writeInfixChain(_ expr: Expr) {
        guard let chain = Self.chain(expr) else { return }
        for (index, operand) in chain.operands.enumerated() {
            if index > 0 { output += " " + chain.symbols[index - 1] + " " }
            write(operand, at: chain.level.tighter)
        }
    }

    /// The outermost `&&` or `||` chain of `expr`, as its operator and the text of its
    /// operands, so that a long condition can be written one operand a line.
    static func booleanChain(_ expr: Expr) -> (symbol: String, operands: [String])? {
        guard let chain = chain(expr), chain.level == .or || chain.level == .and, let symbol = chain.symbols.first
        else { return nil }
        let operands = chain.operands.map { operand in
            var printer = ExpressionPrinter()
            printer.write(operand, at: chain.level.tighter)
            return printer.output
        }
        return (symbol, operands)
    }

    /// What a member access or method call writes after its receiver.
    private enum Suffix {
        case attribute(String)
        case method(String, ArraySlice<Expr>)
    }

    private static func postfixLink(_ expr: Expr) -> (receiver: Expr, suffix: Suffix)? {
        switch expr.kind {
        case .getAttribute(let receiver, let attribute):
            return (receiver, .attribute(attribute))
        case .isEmpty(let receiver):
            return (receiver, .method("isEmpty", []))
        case .binary(let op, let receiver, let argument):
            switch op {
            case .contains, .containsAll, .containsAny, .hasTag, .getTag:
                return (receiver, .method(op.rawValue, [argument]))
            default: return nil
            }
        case .call(let name, let arguments):
            guard ExtensionCatalog.signatures[name]?.style == .method, let receiver = arguments.first else {
                return nil
            }
            return (receiver, .method(name, arguments.dropFirst()))
        default:
            return nil
        }
    }

    /// Writes `receiver.a.b(c)["d"]...`.
    private mutating func writePostfixChain(_ expr: Expr) {
        var suffixes: [Suffix] = []
        var receiver = expr
        while let link = Self.postfixLink(receiver) {
            suffixes.append(link.suffix)
            receiver = link.receiver
        }
        write(receiver, at: .member)
        for suffix in suffixes.reversed() {
            switch suffix {
            case .attribute(let name) where Self.isPlainIdentifier(name):
                output += "." + name
            case .attribute(let name):
                output += "[" + CedarStringLiteral.quote(name) + "]"
            case .method(let name, let arguments):
                output += "." + name + "("
                writeList(arguments)
                output += ")"
            }
        }
    }

    private mutating func writeList<C: Collection<Expr>>(_ elements: C) {
        for (index, element) in elements.enumerated() {
            if index > 0 { output += ", " }
            write(element, at: .expression)
        }
    }

    // MARK: - Unary operators

    /// Writes a run of `!` or of `-`. Runs are split by parentheses every four
    /// operators, the operand of `!` never starts with `-` (and vice versa), and a
    /// `-` before a non-negative number literal is parenthesized (`-(5)`), since `-5`
    /// would read back as the literal -5.
    private mutating func writeUnary(_ expr: Expr) {
        var run = 0
        var operand = expr
        let isNot: Bool
        if case .not = expr.kind { isNot = true } else { isNot = false }
        while true {
            switch (isNot, operand.kind) {
            case (true, .not(let inner)), (false, .negate(let inner)):
                run += 1
                operand = inner
                continue
            default:
                break
            }
            break
        }
        writeUnaryRun(run, isNot ? "!" : "-", operand)
    }

    private mutating func writeUnaryRun(_ run: Int, _ symbol: String, _ operand: Expr) {
        // A negative literal brings its own `-` to a run of `-`.
        let literalMinus: Int
        if symbol == "-", case .value(.long(let n)) = operand.kind, n < 0 { literalMinus = 1 } else { literalMinus = 0 }
        guard run + literalMinus <= Self.maxUnaryRun else {
            output += String(repeating: symbol, count: Self.maxUnaryRun) + "("
            writeUnaryRun(run - Self.maxUnaryRun, symbol, operand)
            output += ")"
            return
        }
        output += String(repeating: symbol, count: run)
        switch operand.kind {
        case .value(.long(let n)) where symbol == "-":
            if n < 0 { output += String(n) } else { output += "(" + String(n) + ")" }
        default:
            write(operand, at: .member)
        }
    }

    // MARK: - Literals

    private mutating func writeValue(_ value: Value) {
        switch value {
        case .bool(let b): output += b ? "true" : "false"
        case .long(let n): output += String(n)
        case .string(let s): output += CedarStringLiteral.quote(s)
        case .entity(let uid): output += uid.description
        case .set(let set):
            // Sets are unordered; sort the printed elements for a stable output.
            let elements = set.map { element in
                var printer = ExpressionPrinter()
                printer.writeValue(element)
                return printer.output
            }
            output += "[" + elements.sorted().joined(separator: ", ") + "]"
        case .record(let record):
            output += "{"
            for (index, field) in record.fields.enumerated() {
                if index > 0 { output += ", " }
                output += Self.isPlainIdentifier(field.key) ? field.key : CedarStringLiteral.quote(field.key)
                output += ": "
                writeValue(field.value)
            }
            output += "}"
        case .ext(let ext):
            writeExtensionValue(ext)
        }
    }

    /// An extension value as the call that constructs it, e.g. `decimal("1.5000")`.
    private mutating func writeExtensionValue(_ ext: ExtensionValue) {
        let constructor: String
        let text: String
        switch ext {
        case .decimal(let d):
            constructor = "decimal"
            text = String(describing: d)
        case .ipaddr(let ip):
            constructor = "ip"
            text = String(describing: ip)
        case .datetime(let t):
            constructor = "datetime"
            text = String(describing: t)
        case .duration(let d):
            constructor = "duration"
            text = String(describing: d)
        }
        output += constructor + "(" + CedarStringLiteral.quote(text) + ")"
    }

    /// A `like` pattern: `*` is a wildcard, a literal star is `\*`.
    private mutating func writePattern(_ pattern: Pattern) {
        output += "\""
        for element in pattern.elements {
            switch element {
            case .wildcard: output += "*"
            case .literal("*"): output += "\\*"
            case .literal(let scalar):
                CedarStringLiteral.appendEscaped(scalar, escapingGraphemeExtend: true, to: &output)
            }
        }
        output += "\""
    }

    /// Whether `name` can be written bare as an attribute or record key: an ASCII
    /// identifier that is neither a reserved word nor `__cedar`.
    static func isPlainIdentifier(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard let first = utf8.first, first.isIdentifierStart, utf8.allSatisfy(\.isIdentifierContinue) else {
            return false
        }
        if let keyword = Keyword(rawValue: name), keyword.isReserved { return false }
        return name != "__cedar"
    }
}
