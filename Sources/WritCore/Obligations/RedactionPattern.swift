/// A text pattern a redaction obligation removes from output: a small regular
/// expression language matched by a Thompson automaton stepped over every input
/// position at once — no backtracking. Matching is linear in the text for patterns of
/// bounded length; a pattern with unbounded repetition and alternatives of different
/// lengths can make it rescan, so every search has a work limit, and a search that
/// reaches it throws (`WorkLimitExceeded`) rather than running on: no pattern and no
/// output can make it hang.
///
/// The language, over Unicode scalars:
/// - a character matches itself; `\` escapes any of `\ . [ ] { } ( ) * + ? | ^ $ -`;
///   `\n`, `\r`, `\t` are the control characters;
/// - `.` is any character but a newline; `\d` a digit `0-9`, `\w` a word character
///   `A-Za-z0-9_`, `\s` white space; `\D`, `\W`, `\S` their complements;
/// - `[abc]`, `[a-z0-9]`, `[^…]` character classes (which may hold `\d`, `\w`, `\s`);
/// - `(…)` groups and `a|b` alternatives;
/// - `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` after an atom, with n and m at most 64.
///
/// Anchors, back-references and look-around are not part of it. A pattern that can
/// match the empty string is refused: it would redact nothing.
///
/// ```swift
/// let ssn = try RedactionPattern(#"\d{3}-\d{2}-\d{4}"#)
/// ssn.redact("SSN 078-05-1120 on file", with: "[REDACTED]")  // "SSN [REDACTED] on file"
/// ```
public struct RedactionPattern: Sendable, Equatable, CustomStringConvertible {
    /// The longest pattern accepted, in Unicode scalars.
    public static let maxLength = 512
    /// The largest repetition count (`{n,m}`).
    public static let maxRepetition = 64
    /// The most automaton states a pattern may compile to.
    public static let maxStates = 4096

    /// The pattern as written.
    public let source: String
    let automaton: Automaton

    /// Compiles `source`.
    /// - Throws: `RedactionPattern.SyntaxError`, naming the 1-based column and why.
    public init(_ source: String) throws(SyntaxError) {
        self.source = source
        var parser = PatternParser(Array(source.unicodeScalars))
        let tree = try parser.parse()
        if tree.matchesEmpty {
            throw SyntaxError(column: 1, reason: "the pattern matches the empty string, so it would redact nothing")
        }
        var builder = AutomatonBuilder()
        let start = try builder.compile(tree)
        automaton = Automaton(states: builder.states, start: start)
    }

    public var description: String { source }

    public static func == (lhs: RedactionPattern, rhs: RedactionPattern) -> Bool {
        lhs.source.unicodeScalars.elementsEqual(rhs.source.unicodeScalars)
    }

    /// The most automaton steps one search may take (each live state at each
    /// position it is stepped over counts one): about a second of work.
    public static let workLimit = 1 << 27

    /// The non-overlapping matches in `text`, leftmost first and each as long as it
    /// can be, as ranges of indices into `text.unicodeScalars`.
    /// - Throws: `WorkLimitExceeded` when the search would take more than `workLimit`
    ///   steps (by default `RedactionPattern.workLimit`).
    public func matches(
        in text: String, workLimit: Int = workLimit
    ) throws(WorkLimitExceeded) -> [Range<String.UnicodeScalarView.Index>] {
        let scalars = text.unicodeScalars
        let indices = Array(scalars.indices) + [scalars.endIndex]
        return try automaton.matches(in: Array(scalars), workLimit: workLimit, source: source)
            .map { indices[$0.lowerBound]..<indices[$0.upperBound] }
    }

    /// `text` with every match replaced by `replacement`.
    /// - Throws: `WorkLimitExceeded` when the search would take more than `workLimit` steps.
    public func redact(
        _ text: String, with replacement: String, workLimit: Int = workLimit
    ) throws(WorkLimitExceeded) -> String {
        let scalars = Array(text.unicodeScalars)
        let found = try automaton.matches(in: scalars, workLimit: workLimit, source: source)
        guard !found.isEmpty else { return text }
        var result = String.UnicodeScalarView()
        var position = 0
        for match in found {
            result.append(contentsOf: scalars[position..<match.lowerBound])
            result.append(contentsOf: replacement.unicodeScalars)
            position = match.upperBound
        }
        result.append(contentsOf: scalars[position...])
        return String(result)
    }

    /// A search stopped at the work limit: the text was not (fully) searched.
    public struct WorkLimitExceeded: Error, Sendable, Equatable, CustomStringConvertible {
        public let pattern: String
        public init(pattern: String) { self.pattern = pattern }
        public var description: String {
            "searching for `\(pattern)` took more than \(RedactionPattern.workLimit) steps; the text could not be redacted"
        }
    }

    /// Why a pattern does not compile, and where.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The 1-based position in the pattern, in Unicode scalars.
        public let column: Int
        public let reason: String
        public init(column: Int, reason: String) {
            self.column = column
            self.reason = reason
        }
        public var description: String { "column \(column): \(reason)" }
    }
}

// MARK: - Syntax tree

/// A set of Unicode scalars: ranges, possibly complemented.
struct ScalarClass: Sendable, Equatable {
    var ranges: [ClosedRange<UInt32>]
    var negated = false

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return ranges.contains { $0.contains(value) } != negated
    }

    static let digit = ScalarClass(ranges: [0x30...0x39])
    static let word = ScalarClass(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    static let space = ScalarClass(ranges: [0x09...0x0D, 0x20...0x20, 0x85...0x85, 0xA0...0xA0, 0x2028...0x2029])
    static let notNewline = ScalarClass(ranges: [0x0A...0x0A], negated: true)
}

indirect enum PatternNode: Sendable {
    case scalars(ScalarClass)
    case sequence([PatternNode])
    case alternatives([PatternNode])
    case repeated(PatternNode, min: Int, max: Int?)

    var matchesEmpty: Bool {
        switch self {
        case .scalars: false
        case .sequence(let items): items.allSatisfy(\.matchesEmpty)
        case .alternatives(let options): options.contains(where: \.matchesEmpty)
        case .repeated(let node, let min, _): min == 0 || node.matchesEmpty
        }
    }
}

/// Recursive descent over the pattern's scalars; nesting is bounded by the length.
struct PatternParser {
    typealias SyntaxError = RedactionPattern.SyntaxError
    let text: [Unicode.Scalar]
    var position = 0
    var depth = 0

    init(_ text: [Unicode.Scalar]) { self.text = text }

    mutating func parse() throws(SyntaxError) -> PatternNode {
        guard !text.isEmpty else { throw SyntaxError(column: 1, reason: "the pattern is empty") }
        guard text.count <= RedactionPattern.maxLength else {
            throw SyntaxError(column: RedactionPattern.maxLength + 1, reason: "the pattern is longer than \(RedactionPattern.maxLength) characters")
        }
        let node = try alternatives()
        if position < text.count {
            throw SyntaxError(column: position + 1, reason: "unbalanced `)`")
        }
        return node
    }

    private var next: Unicode.Scalar? { position < text.count ? text[position] : nil }

    private mutating func alternatives() throws(SyntaxError) -> PatternNode {
        var options = [try sequence()]
        while next == "|" {
            position += 1
            options.append(try sequence())
        }
        return options.count == 1 ? options[0] : .alternatives(options)
    }

    private mutating func sequence() throws(SyntaxError) -> PatternNode {
        var items: [PatternNode] = []
        while let scalar = next, scalar != "|", scalar != ")" {
            items.append(try quantified())
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    private mutating func quantified() throws(SyntaxError) -> PatternNode {
        let node = try atom()
        guard let scalar = next else { return node }
        let quantified: PatternNode
        switch scalar {
        case "*": position += 1; quantified = .repeated(node, min: 0, max: nil)
        case "+": position += 1; quantified = .repeated(node, min: 1, max: nil)
        case "?": position += 1; quantified = .repeated(node, min: 0, max: 1)
        case "{":
            let (min, max) = try counts()
            quantified = .repeated(node, min: min, max: max)
        default: return node
        }
        if let after = next, after == "*" || after == "+" || after == "?" || after == "{" {
            throw SyntaxError(column: position + 1, reason: "a quantifier follows another one; group the first in `(…)`")
        }
        return quantified
    }

    /// `{n}`, `{n,}` or `{n,m}`, the brace at `position`.
    private mutating func counts() throws(SyntaxError) -> (Int, Int?) {
        let open = position
        position += 1
        let min = try number(open)
        var max: Int? = min
        if next == "," {
            position += 1
            max = next == "}" ? nil : try number(open)
        }
        guard next == "}" else { throw SyntaxError(column: open + 1, reason: "`{` must be `{n}`, `{n,}` or `{n,m}`") }
        position += 1
        if let max, max < min {
            throw SyntaxError(column: open + 1, reason: "`{\(min),\(max)}` has its maximum below its minimum")
        }
        return (min, max)
    }

    private mutating func number(_ open: Int) throws(SyntaxError) -> Int {
        var value = 0
        var digits = 0
        while let scalar = next, ("0"..."9").contains(scalar) {
            value = value * 10 + Int(scalar.value - 0x30)
            digits += 1
            position += 1
            if value > RedactionPattern.maxRepetition {
                throw SyntaxError(column: open + 1, reason: "repetition counts may be at most \(RedactionPattern.maxRepetition)")
            }
        }
        guard digits > 0 else { throw SyntaxError(column: open + 1, reason: "`{` must be `{n}`, `{n,}` or `{n,m}`") }
        return value
    }

    private mutating func atom() throws(SyntaxError) -> PatternNode {
        guard let scalar = next else { throw SyntaxError(column: position + 1, reason: "the pattern ends where a character was expected") }
        let at = position
        position += 1
        switch scalar {
        case "(":
            depth += 1
            defer { depth -= 1 }
            let inner = try alternatives()
            guard next == ")" else { throw SyntaxError(column: at + 1, reason: "`(` is never closed") }
            position += 1
            return inner
        case "[": return .scalars(try bracket(at))
        case ".": return .scalars(.notNewline)
        case "\\": return .scalars(try escape(at))
        case "*", "+", "?", "{":
            throw SyntaxError(column: at + 1, reason: "`\(scalar)` has nothing to repeat")
        case "^", "$":
            throw SyntaxError(column: at + 1, reason: "anchors (`^`, `$`) are not supported; escape it as `\\\(scalar)`")
        case "]", "}":
            throw SyntaxError(column: at + 1, reason: "unbalanced `\(scalar)`; escape it as `\\\(scalar)`")
        default:
            return .scalars(ScalarClass(ranges: [scalar.value...scalar.value]))
        }
    }

    /// The class after `\` at `at`.
    private mutating func escape(_ at: Int) throws(SyntaxError) -> ScalarClass {
        guard let scalar = next else { throw SyntaxError(column: at + 1, reason: "the pattern ends with `\\`") }
        position += 1
        switch scalar {
        case "d": return .digit
        case "w": return .word
        case "s": return .space
        case "D": return ScalarClass(ranges: ScalarClass.digit.ranges, negated: true)
        case "W": return ScalarClass(ranges: ScalarClass.word.ranges, negated: true)
        case "S": return ScalarClass(ranges: ScalarClass.space.ranges, negated: true)
        case "n": return ScalarClass(ranges: [0x0A...0x0A])
        case "r": return ScalarClass(ranges: [0x0D...0x0D])
        case "t": return ScalarClass(ranges: [0x09...0x09])
        case "\\", ".", "[", "]", "{", "}", "(", ")", "*", "+", "?", "|", "^", "$", "-", "/":
            return ScalarClass(ranges: [scalar.value...scalar.value])
        default:
            throw SyntaxError(column: at + 1, reason: "`\\\(scalar)` is not a supported escape")
        }
    }

    /// A `[…]` class whose `[` is at `at`.
    private mutating func bracket(_ at: Int) throws(SyntaxError) -> ScalarClass {
        var result = ScalarClass(ranges: [])
        if next == "^" {
            result.negated = true
            position += 1
        }
        var first = true
        while true {
            guard let scalar = next else { throw SyntaxError(column: at + 1, reason: "`[` is never closed") }
            if scalar == "]", !first {
                position += 1
                return result
            }
            first = false
            let itemAt = position
            position += 1
            var low: UInt32
            if scalar == "\\" {
                let escaped = try escape(itemAt)
                guard !escaped.negated, escaped.ranges.count == 1, escaped.ranges[0].count == 1 else {
                    // \d, \w, \s and their complements join the class as they are.
                    guard !escaped.negated else {
                        throw SyntaxError(column: itemAt + 1, reason: "`\\D`, `\\W` and `\\S` cannot be used inside `[…]`")
                    }
                    result.ranges += escaped.ranges
                    continue
                }
                low = escaped.ranges[0].lowerBound
            } else {
                low = scalar.value
            }
            if next == "-", position + 1 < text.count, text[position + 1] != "]" {
                position += 1
                guard let upper = next else { throw SyntaxError(column: at + 1, reason: "`[` is never closed") }
                position += 1
                var high = upper.value
                if upper == "\\" {
                    let escaped = try escape(position - 1)
                    guard !escaped.negated, escaped.ranges.count == 1, escaped.ranges[0].count == 1 else {
                        throw SyntaxError(column: itemAt + 1, reason: "a range must end with one character")
                    }
                    high = escaped.ranges[0].lowerBound
                }
                guard low <= high else {
                    throw SyntaxError(column: itemAt + 1, reason: "the range runs backwards")
                }
                result.ranges.append(low...high)
            } else {
                result.ranges.append(low...low)
            }
        }
    }
}

// MARK: - Automaton

/// A Thompson automaton: each state reads one scalar class, splits, or accepts.
struct Automaton: Sendable {
    enum State: Sendable {
        case read(ScalarClass, next: Int)
        case split(Int, Int)
        case accept
    }

    let states: [State]
    let start: Int

    /// Leftmost-longest, non-overlapping matches, as scalar offsets. Each position
    /// is stepped with at most `states.count` live states; after a match the search
    /// resumes at its end, which rescans what attempts from earlier starts had read
    /// past it. Throws once more than `workLimit` state steps were taken.
    func matches(in text: [Unicode.Scalar], workLimit: Int, source: String = "") throws(RedactionPattern.WorkLimitExceeded) -> [Range<Int>] {
        var work = 0
        var found: [Range<Int>] = []
        // The live states, each with the offset its match attempt started at; kept in
        // start order, so the first to reach a state has the leftmost start.
        var current: [(state: Int, start: Int)] = []
        var next: [(state: Int, start: Int)] = []
        var mark = [Int](repeating: -1, count: states.count)
        var stack: [(state: Int, start: Int)] = []
        var generation = 0
        var best: Range<Int>?

        func add(_ state: Int, _ start: Int, into list: inout [(state: Int, start: Int)], _ generation: Int) {
            stack.append((state, start))
            while let (s, origin) = stack.popLast() {
                guard mark[s] != generation else { continue }
                mark[s] = generation
                switch states[s] {
                case .split(let a, let b):
                    stack.append((b, origin))
                    stack.append((a, origin))
                case .read, .accept:
                    list.append((s, origin))
                }
            }
        }

        var position = 0
        while position <= text.count {
            generation += 1
            // Threads carried over from the last step keep their (earlier) starts.
            var seeded: [(state: Int, start: Int)] = []
            for thread in next { add(thread.state, thread.start, into: &seeded, generation) }
            if best == nil { add(start, position, into: &seeded, generation) }
            current = seeded
            next.removeAll(keepingCapacity: true)
            work += current.count + 1
            guard work <= workLimit else { throw RedactionPattern.WorkLimitExceeded(pattern: source) }
            for thread in current {
                guard case .accept = states[thread.state] else { continue }
                // Leftmost first, then longest.
                if let known = best {
                    if thread.start < known.lowerBound || (thread.start == known.lowerBound && position > known.upperBound) {
                        best = thread.start..<position
                    }
                } else {
                    best = thread.start..<position
                }
            }
            if let match = best {
                // Attempts that started later can no longer win; earlier ones still can.
                current.removeAll { $0.start > match.lowerBound }
            }
            if position < text.count {
                let scalar = text[position]
                for thread in current {
                    if case .read(let set, let to) = states[thread.state], set.contains(scalar) {
                        next.append((to, thread.start))
                    }
                }
            }
            if let match = best, next.isEmpty {
                found.append(match)
                best = nil
                position = match.upperBound
                continue
            }
            position += 1
        }
        return found
    }
}

/// Builds the automaton of a syntax tree, counting states against the limit.
struct AutomatonBuilder {
    var states: [Automaton.State] = [.accept]

    /// The start state of `node`, ending in the accepting state 0.
    mutating func compile(_ node: PatternNode) throws(RedactionPattern.SyntaxError) -> Int {
        try build(node, then: 0)
    }

    private mutating func add(_ state: Automaton.State) throws(RedactionPattern.SyntaxError) -> Int {
        guard states.count < RedactionPattern.maxStates else {
            throw RedactionPattern.SyntaxError(
                column: 1, reason: "the pattern is too complex (over \(RedactionPattern.maxStates) states once repetitions are expanded)")
        }
        states.append(state)
        return states.count - 1
    }

    /// The entry state of `node`, followed by state `next`. Built back to front, so
    /// every state's successors exist when it is made.
    private mutating func build(_ node: PatternNode, then next: Int) throws(RedactionPattern.SyntaxError) -> Int {
        switch node {
        case .scalars(let set):
            return try add(.read(set, next: next))
        case .sequence(let items):
            var entry = next
            for item in items.reversed() { entry = try build(item, then: entry) }
            return entry
        case .alternatives(let options):
            var entry = try build(options[options.count - 1], then: next)
            for option in options.dropLast().reversed() {
                entry = try add(.split(try build(option, then: next), entry))
            }
            return entry
        case .repeated(let inner, let min, let max):
            var entry = next
            if let max {
                // The optional copies: each may stop here or go on to the next.
                for _ in 0..<(max - min) {
                    entry = try add(.split(try build(inner, then: entry), next))
                }
            } else {
                // A loop: a split that either enters `inner` (which returns to it) or leaves.
                let loop = try add(.split(0, next))
                let body = try build(inner, then: loop)
                states[loop] = .split(body, next)
                entry = loop
            }
            for _ in 0..<min { entry = try build(inner, then: entry) }
            return entry
        }
    }
}
