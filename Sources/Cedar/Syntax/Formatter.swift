/// Prints policies and expressions as readable Cedar text.
///
/// The output parses back to the same policy: `PolicyParser.parsePolicies(format(ps))`
/// equals `ps` for every policy the parser can produce. Parentheses appear only where
/// precedence needs them (or where a run of `!` or `-` would exceed four), strings are
/// escaped as Rust Cedar escapes them, and attribute names that are not plain
/// identifiers are written as strings (`e["a b"]`, `e has "a b"`).
///
///     @id("view")
///     permit (principal == User::"alice", action == Action::"view", resource)
///     when { resource.public || resource.owner == principal };
public enum PolicyFormatter {
    /// Lines longer than this are wrapped where the layout allows.
    static let lineWidth = 80

    /// Formats one policy: annotations on their own lines, then the head and scope
    /// (wrapped one constraint per line when long), then each condition, and `;`.
    /// The result has no trailing newline.
    public static func format(_ policy: Policy) -> String {
        var out = ""
        for annotation in policy.annotations {
            out += "@" + annotation.key
            if !annotation.value.isEmpty { out += "(" + CedarStringLiteral.quote(annotation.value) + ")" }
            out += "\n"
        }
        let scope = [
            scopeText("principal", policy.principal),
            actionText(policy.action),
            scopeText("resource", policy.resource),
        ]
        let head = policy.effect.rawValue + " (" + scope.joined(separator: ", ") + ")"
        if head.unicodeScalars.count <= lineWidth {
            out += head
        } else {
            out += policy.effect.rawValue + " (\n" + scope.map { "  " + $0 }.joined(separator: ",\n") + "\n)"
        }
        for condition in policy.conditions {
            out += "\n" + conditionText(condition)
        }
        out += ";"
        return out
    }

    /// Formats policies separated by blank lines, ending with a newline (or empty).
    public static func format(_ policies: [Policy]) -> String {
        policies.isEmpty ? "" : policies.map { format($0) }.joined(separator: "\n\n") + "\n"
    }

    /// Formats an expression on one line.
    public static func format(_ expression: Expr) -> String {
        var printer = ExpressionPrinter()
        printer.write(expression, at: .expression)
        return printer.output
    }

    // MARK: - Scope

    private static func scopeText(_ variable: String, _ constraint: ScopeConstraint) -> String {
        switch constraint {
        case .any: return variable
        case .equal(let reference): return variable + " == " + referenceText(reference)
        case .in(let reference): return variable + " in " + referenceText(reference)
        case .is(let type): return variable + " is " + type.name
        case .isIn(let type, let reference): return variable + " is " + type.name + " in " + referenceText(reference)
        }
    }

    private static func referenceText(_ reference: EntityReference) -> String {
        switch reference {
        case .entity(let uid): return uid.description
        case .slot(let slot): return slot.rawValue
        }
    }

    private static func actionText(_ constraint: ActionConstraint) -> String {
        switch constraint {
        case .any: return "action"
        case .equal(let uid): return "action == " + uid.description
        case .in(let uid): return "action in " + uid.description
        case .inSet(let uids): return "action in [" + uids.map(\.description).joined(separator: ", ") + "]"
        }
    }

    // MARK: - Conditions

    /// `when { body }` on one line if it fits; otherwise the body on its own indented
    /// lines, split after each `&&` or `||` of its outermost chain.
    private static func conditionText(_ condition: Condition) -> String {
        let keyword = condition.kind.rawValue
        let body = format(condition.body)
        let oneLine = keyword + " { " + body + " }"
        if oneLine.unicodeScalars.count <= lineWidth { return oneLine }
        guard let chain = ExpressionPrinter.booleanChain(condition.body) else {
            return keyword + " {\n  " + body + "\n}"
        }
        let lines = chain.operands.enumerated().map { index, operand in
            "  " + operand + (index < chain.operands.count - 1 ? " " + chain.symbol : "")
        }
        return keyword + " {\n" + lines.joined(separator: "\n") + "\n}"
    }
}
