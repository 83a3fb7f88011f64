/// The type of each extension function, and the checks strict validation makes on
/// calls: arity, argument types, and that constructors get a valid string literal.
struct ExtensionFunctionType: Sendable {
    let argumentTypes: [CedarType]
    let returnType: CedarType
    /// For constructors (`decimal`, `ip`, `datetime`, `duration`): what a literal
    /// argument that fails to parse is called in the message.
    let constructs: String?

    static let all: [String: ExtensionFunctionType] = {
        let decimal = CedarType.extension("decimal"), ipaddr = CedarType.extension("ipaddr")
        let datetime = CedarType.extension("datetime"), duration = CedarType.extension("duration")
        func f(_ args: [CedarType], _ result: CedarType, constructs: String? = nil) -> ExtensionFunctionType {
            ExtensionFunctionType(argumentTypes: args, returnType: result, constructs: constructs)
        }
        return [
            "decimal": f([.string], decimal, constructs: "a decimal value"),
            "lessThan": f([decimal, decimal], .boolean),
            "lessThanOrEqual": f([decimal, decimal], .boolean),
            "greaterThan": f([decimal, decimal], .boolean),
            "greaterThanOrEqual": f([decimal, decimal], .boolean),
            "ip": f([.string], ipaddr, constructs: "an IP address"),
            "isIpv4": f([ipaddr], .boolean),
            "isIpv6": f([ipaddr], .boolean),
            "isLoopback": f([ipaddr], .boolean),
            "isMulticast": f([ipaddr], .boolean),
            "isInRange": f([ipaddr, ipaddr], .boolean),
            "datetime": f([.string], datetime, constructs: "a datetime value"),
            "duration": f([.string], duration, constructs: "a duration value"),
            "offset": f([datetime, duration], datetime),
            "durationSince": f([datetime, datetime], duration),
            "toDate": f([datetime], datetime),
            "toTime": f([datetime], duration),
            "toMilliseconds": f([duration], .long),
            "toSeconds": f([duration], .long),
            "toMinutes": f([duration], .long),
            "toHours": f([duration], .long),
            "toDays": f([duration], .long),
        ]
    }()
}

extension Typechecker {
    func typecheckCall(_ e: Expr, _ name: String, _ args: [Expr], _ prior: KnownCapabilities, _ d: Int) -> TypecheckAnswer {
        guard let function = ExtensionFunctionType.all[name] else {
            report(.undefinedFunction(policyID, e.span, name))
            for arg in args { _ = typecheck(arg, prior, depth: d) }
            return .failure(nil)
        }
        var failed = false
        if args.count != function.argumentTypes.count {
            report(.wrongNumberArguments(policyID, e.span, name, expected: function.argumentTypes.count, actual: args.count))
            failed = true
        }
        if let what = function.constructs {
            if args.count == 1, case .value(.string(let text)) = args[0].kind,
                (try? Extensions.construct(function: name, argument: text)) == nil
            {
                report(.functionArgumentValidation(
                    policyID, e.span, "`\(name)` cannot parse \(CedarStringLiteral.quote(text)) as \(what)"))
                failed = true
            }
            // Strict validation wants constructor arguments known before evaluation.
            if !args.allSatisfy({ if case .value = $0.kind { true } else { false } }) {
                report(.nonLiteralExtensionConstructor(policyID, e.span, name))
                failed = true
            }
        }
        if failed {
            for arg in args { _ = typecheck(arg, prior, depth: d) }
            return .failure(function.returnType)
        }
        let answers = zip(args, function.argumentTypes).map { arg, type in expect(arg, prior, type, depth: d) }
        return TypecheckAnswer.all(answers) { _ in .success(function.returnType) }
    }
}
