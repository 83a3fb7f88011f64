/// Warnings about text that may not read as it runs: strings, patterns and names
/// holding Unicode bidirectional control characters, which can make policy text
/// display in an order other than the one Cedar parses ("Trojan Source"). Rust Cedar
/// warns about these too; its mixed-script and confusable-character warnings need
/// Unicode script data that Swift's standard library does not carry, and are not made.
enum TextChecks {
    /// The bidirectional embedding, override and isolate controls Rust Cedar warns on.
    static let bidiControls: Set<Unicode.Scalar> = [
        "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}",
    ]

    static func containsBidiControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { bidiControls.contains($0) }
    }

    /// One warning per string, pattern or name of `conjuncts` that holds a control.
    static func warnings(_ policy: PolicyID, _ conjuncts: [Expr]) -> [ValidationDiagnostic] {
        var found: [ValidationDiagnostic] = []
        func check(_ text: String, isName: Bool, _ span: SourceSpan?) {
            guard containsBidiControl(text) else { return }
            found.append(.bidiCharacters(policy, span, text, isName: isName))
        }
        var pending = conjuncts
        while let e = pending.popLast() {
            switch e.kind {
            case .value(.string(let s)): check(s, isName: false, e.span)
            case .value(.entity(let uid)): check(uid.id, isName: false, e.span)
            case .value, .variable, .slot: break
            case .like(let a, let pattern):
                var text = ""
                for element in pattern.elements {
                    if case .literal(let scalar) = element { text.unicodeScalars.append(scalar) } else { text += "*" }
                }
                check(text, isName: false, e.span)
                pending.append(a)
            case .getAttribute(let a, let name), .hasAttribute(let a, let name):
                check(name, isName: true, e.span)
                pending.append(a)
            case .record(let fields):
                for field in fields { check(field.key, isName: true, e.span) }
                pending += fields.map(\.value)
            case .not(let a), .negate(let a), .isEmpty(let a): pending.append(a)
            case .isType(let a, _, let other): pending += [a] + (other.map { [$0] } ?? [])
            case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b): pending += [a, b]
            case .ifThenElse(let a, let b, let c): pending += [a, b, c]
            case .set(let xs), .call(_, let xs): pending += xs
            }
        }
        return found
    }
}

extension ValidationDiagnostic {
    static func bidiCharacters(_ policy: PolicyID, _ span: SourceSpan?, _ text: String, isName: Bool) -> Self {
        Self(
            .bidiCharacters, severity: .warning, policyID: policy, span: span,
            message: "\(isName ? "name" : "string") \(CedarStringLiteral.quote(text)) contains Unicode bidirectional "
                + "control characters, which can make the policy display differently from how it evaluates")
    }
}
