import Cedar

/// What a condition can come to over every possible `context`, for one principal, action
/// and resource: some of holds (true), fails (false) and errs (an error, or a value that
/// is not a bool). A bit set, with its operations written out (no generic `OptionSet`
/// machinery on the hot path).
struct Outcomes: Sendable, Hashable {
    let rawValue: UInt8
    static let none = Outcomes(rawValue: 0)
    static let holds = Outcomes(rawValue: 1)
    static let fails = Outcomes(rawValue: 2)
    static let errs = Outcomes(rawValue: 4)
    /// Nothing is known.
    static let unknown = Outcomes(rawValue: 7)

    /// Whether the condition holds for every context.
    var always: Bool { rawValue == 1 }
    /// Whether the condition can hold for some context.
    var possible: Bool { rawValue & 1 != 0 }
    /// Whether the condition can err for some context.
    var mayErr: Bool { rawValue & 4 != 0 }
    /// Whether the condition can be false for some context.
    var mayFail: Bool { rawValue & 2 != 0 }

    func union(_ other: Outcomes) -> Outcomes { Outcomes(rawValue: rawValue | other.rawValue) }
    /// These outcomes without `holds`.
    var withoutHolds: Outcomes { Outcomes(rawValue: rawValue & 6) }

    /// The outcomes of `!c` when `c` has these.
    var negated: Outcomes { Outcomes(rawValue: (rawValue & 4) | (rawValue & 1) << 1 | (rawValue & 2) >> 1) }
}

/// A condition prepared once for evaluation with the request's `context` unknown and
/// its principal, action, resource and entities known: a three-valued abstract
/// interpretation of the Cedar expression.
///
/// A part that reads no `context` is compiled as Cedar compiles it and evaluated
/// exactly. `!`, `&&`, `||` and `if` combine the outcomes of their parts as Cedar
/// evaluates them (short-circuits included). Any other expression that reads `context`
/// can come to anything — unless one of the parts it always evaluates reads no
/// context and errs, when it always errs. Each step only ever adds outcomes, so the
/// outcomes found include every outcome a real evaluation can have: what is found
/// impossible is impossible.
indirect enum AbstractCondition: Sendable {
    /// Reads no `context`: evaluated exactly.
    case exact(CompiledExpression)
    /// Reads `context` under an operator other than the logical ones; errs when one of
    /// `strict` (parts it always evaluates, reading no context) errs.
    case opaque(strict: [CompiledExpression])
    case not(AbstractCondition)
    case and(AbstractCondition, AbstractCondition)
    case or(AbstractCondition, AbstractCondition)
    case ifThenElse(AbstractCondition, AbstractCondition, AbstractCondition)

    /// Prepares `expression`, a condition body (or a part of one in a bool position).
    init(_ expression: Expr) {
        guard expression.readsContext else {
            self = .exact(CompiledExpression(expression))
            return
        }
        switch expression.kind {
        case .not(let e): self = .not(AbstractCondition(e))
        case .and(let a, let b): self = .and(AbstractCondition(a), AbstractCondition(b))
        case .or(let a, let b): self = .or(AbstractCondition(a), AbstractCondition(b))
        case .ifThenElse(let c, let t, let e):
            self = .ifThenElse(AbstractCondition(c), AbstractCondition(t), AbstractCondition(e))
        default:
            var strict: [CompiledExpression] = []
            Self.collectStrict(expression, into: &strict)
            self = .opaque(strict: strict)
        }
    }

    /// Collects the parts of `expression` that are always evaluated when it is and read
    /// no context (skipping literals, which cannot err).
    private static func collectStrict(_ expression: Expr, into strict: inout [CompiledExpression]) {
        for part in expression.alwaysEvaluatedParts {
            if !part.readsContext {
                if case .value = part.kind { continue }
                strict.append(CompiledExpression(part))
            } else {
                collectStrict(part, into: &strict)
            }
        }
    }

    /// The outcomes for `request` (whose context is ignored) over `entities`.
    func outcomes(_ request: Request, _ entities: Entities) -> Outcomes {
        switch self {
        case .exact(let expression):
            do {
                guard case .bool(let b) = try expression.evaluate(request, entities: entities) else { return .errs }
                return b ? .holds : .fails
            } catch {
                return .errs
            }
        case .opaque(let strict):
            for part in strict {
                do { _ = try part.evaluate(request, entities: entities) } catch { return .errs }
            }
            return .unknown
        case .not(let a):
            return a.outcomes(request, entities).negated
        case .and(let a, let b):
            let left = a.outcomes(request, entities)
            let result = Outcomes(rawValue: left.rawValue & 6)
            return left.possible ? result.union(b.outcomes(request, entities)) : result
        case .or(let a, let b):
            let left = a.outcomes(request, entities)
            let result = Outcomes(rawValue: left.rawValue & 5)
            return left.mayFail ? result.union(b.outcomes(request, entities)) : result
        case .ifThenElse(let c, let t, let e):
            let test = c.outcomes(request, entities)
            var result = Outcomes(rawValue: test.rawValue & 4)
            if test.possible { result = result.union(t.outcomes(request, entities)) }
            if test.mayFail { result = result.union(e.outcomes(request, entities)) }
            return result
        }
    }
}

extension Expr {
    /// Whether the expression reads the request's `context` anywhere.
    var readsContext: Bool {
        contains { e in
            guard case .variable(.context) = e.kind else { return false }
            return true
        }
    }

    /// Whether the expression reads the request variable `variable`.
    func reads(_ variable: Variable) -> Bool {
        contains { e in
            guard case .variable(let v) = e.kind else { return false }
            return v == variable
        }
    }

    /// Whether the expression reads `context.task` (or asks `context has task`).
    var readsTask: Bool {
        contains { e in
            switch e.kind {
            case .getAttribute(let base, let name), .hasAttribute(let base, let name):
                if case .variable(.context) = base.kind, name == "task" { return true }
                return false
            default: return false
            }
        }
    }

    /// Whether this expression or a part of it satisfies `test`.
    func contains(_ test: (Expr) -> Bool) -> Bool {
        if test(self) { return true }
        return directParts.contains { $0.contains(test) }
    }

    /// Every direct subexpression.
    private var directParts: [Expr] {
        switch kind {
        case .value, .variable, .slot: return []
        case .not(let e), .negate(let e), .getAttribute(let e, _), .hasAttribute(let e, _), .like(let e, _),
            .isEmpty(let e):
            return [e]
        case .isType(let e, _, let other): return [e] + (other.map { [$0] } ?? [])
        case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b): return [a, b]
        case .ifThenElse(let a, let b, let c): return [a, b, c]
        case .set(let es), .call(_, let es): return es
        case .record(let fs): return fs.map(\.value)
        }
    }

    /// The direct subexpressions Cedar evaluates whenever it evaluates this one: all of
    /// a strict operator's operands; only the first of `&&`, `||`, `if` and `is … in`.
    var alwaysEvaluatedParts: [Expr] {
        switch kind {
        case .and(let a, _), .or(let a, _), .ifThenElse(let a, _, _), .isType(let a, _, _): return [a]
        default: return directParts
        }
    }
}
