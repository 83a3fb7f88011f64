/// Expressions in Cedar's JSON policy format (the EST), as Rust Cedar reads and
/// writes them. Every expression is an object with exactly one key naming its
/// operator: `{"Value": 1}`, `{"Var": "principal"}`, `{"!": {"arg": e}}`,
/// `{"==": {"left": a, "right": b}}`, `{".": {"left": e, "attr": "name"}}`,
/// `{"like": {"left": e, "pattern": ["Wildcard", {"Literal": "ab"}]}}`,
/// `{"ip": [args]}` for extension functions, and so on.
extension PolicyJSON {
    /// The extension functions an expression object may name: Cedar's catalog, and
    /// `unknown`, which Rust Cedar reserves for partial evaluation.
    static let extensionFunctionKeys: Set<String> = Set(ExtensionCatalog.signatures.keys).union(["unknown"])

    // MARK: - Reading

    /// Reads an expression.
    package static func decodeExpr(_ json: JSON) throws(JSONError) -> Expr {
        let object = try json.asObject("an expression object")
        guard let member = object.members.first else {
            throw JSONError(.invalidValue, "an empty object is not an expression")
        }
        guard object.count == 1 else {
            throw JSONError(
                .invalidValue,
                "an expression object has exactly one key, found `\(member.key)` and `\(object.members[1].key)`")
        }
        return try JSONError.at(.key(member.key)) { () throws(JSONError) in
            Expr(try decodeOperator(member.key, member.value))
        }
    }

    private static func decodeOperator(_ key: String, _ body: JSON) throws(JSONError) -> Expr.Kind {
        switch key {
        case "Value":
            return try decodeValueExpr(body).kind
        case "Var":
            let name = try body.asString()
            guard let variable = Variable(rawValue: name) else {
                let expected = "`principal`, `action`, `resource` or `context`"
                throw JSONError(.invalidValue, "unknown variable `\(name)`, expected \(expected)")
            }
            return .variable(variable)
        case "Slot":
            return .slot(try decodeSlot(body))
        case "!":
            return .not(try decodeArgument(body))
        case "neg":
            return .negate(try decodeArgument(body))
        case "isEmpty":
            return .isEmpty(try decodeArgument(body))
        case "&&":
            let (left, right) = try decodeOperands(body)
            return .and(left, right)
        case "||":
            let (left, right) = try decodeOperands(body)
            return .or(left, right)
        case ".":
            let object = try fields(body, ["left", "attr"])
            return .getAttribute(try object.decode("left", decodeExpr), try object.decodeString("attr"))
        case "has":
            return try decodeHas(body)
        case "like":
            let object = try fields(body, ["left", "pattern"])
            return .like(try object.decode("left", decodeExpr), try object.decode("pattern", decodePattern))
        case "is":
            let object = try fields(body, ["left", "entity_type", "in"])
            let left = try object.decode("left", decodeExpr)
            let type = try object.decode("entity_type") { (json) throws(JSONError) in
                try ValueJSON.entityType(try json.asString())
            }
            let other = try object.decodeIfPresent("in") { (json) throws(JSONError) -> Expr? in
                json == .null ? nil : try decodeExpr(json)
            }
            return .isType(left, type, in: other ?? nil)
        case "if-then-else":
            let object = try fields(body, ["if", "then", "else"])
            return .ifThenElse(
                try object.decode("if", decodeExpr),
                then: try object.decode("then", decodeExpr),
                else: try object.decode("else", decodeExpr))
        case "Set":
            return .set(try body.decodeElements(decodeExpr))
        case "Record":
            return .record(
                try body.decodeMembers { (key, value) throws(JSONError) in
                    RecordField(key: key, value: try decodeExpr(value))
                })
        default:
            if let op = BinaryOperator(rawValue: key) {
                let (left, right) = try decodeOperands(body)
                return .binary(op, left, right)
            }
            guard extensionFunctionKeys.contains(key) else {
                throw JSONError(.unknownOperator, "unknown operator or extension function `\(key)`")
            }
            return .call(key, try body.decodeElements(expected: "an array of arguments", decodeExpr))
        }
    }

    /// `{"arg": e}`
    private static func decodeArgument(_ body: JSON) throws(JSONError) -> Expr {
        try fields(body, ["arg"]).decode("arg", decodeExpr)
    }

    /// `{"left": a, "right": b}`
    private static func decodeOperands(_ body: JSON) throws(JSONError) -> (Expr, Expr) {
        let object = try fields(body, ["left", "right"])
        return (try object.decode("left", decodeExpr), try object.decode("right", decodeExpr))
    }

    /// `{"left": e, "attr": "a"}`, or `"attr": ["a", "b"]` for `e has a.b`, which reads
    /// as `e has a && e.a has b`. Other members are ignored, as in Rust Cedar.
    private static func decodeHas(_ body: JSON) throws(JSONError) -> Expr.Kind {
        let object = try body.asObject()
        let left = try object.decode("left", decodeExpr)
        let (first, rest) = try object.decode("attr") { (json) throws(JSONError) -> (String, [String]) in
            if case .string(let attribute) = json { return (attribute, []) }
            let attributes = try json.decodeElements(expected: "a string or a non-empty array of strings") {
                (element) throws(JSONError) in try element.asString()
            }
            guard let first = attributes.first else {
                throw JSONError(
                    .invalidValue, "expected a string or a non-empty array of strings, found an empty array")
            }
            return (first, Array(attributes.dropFirst()))
        }
        var test = Expr(.hasAttribute(left, first))
        var reached = Expr(.getAttribute(left, first))
        for attribute in rest {
            test = Expr(.and(test, Expr(.hasAttribute(reached, attribute))))
            reached = Expr(.getAttribute(reached, attribute))
        }
        return test.kind
    }

    /// `["Wildcard", {"Literal": "ab"}]`; a literal contributes each of its scalars.
    private static func decodePattern(_ json: JSON) throws(JSONError) -> Pattern {
        var elements: [Pattern.Element] = []
        let parts = try json.decodeElements(expected: "an array of pattern elements") {
            (element) throws(JSONError) -> [Pattern.Element] in
            switch element {
            case .string("Wildcard"):
                return [.wildcard]
            case .object(let object) where object.count == 1:
                if object["Wildcard"] == .null { return [.wildcard] }
                if case .string(let literal)? = object["Literal"] { return literal.unicodeScalars.map { .literal($0) } }
            default:
                break
            }
            throw JSONError(.invalidValue, "expected `\"Wildcard\"` or `{\"Literal\": \"...\"}` as a pattern element")
        }
        for part in parts { elements.append(contentsOf: part) }
        return Pattern(elements)
    }

    /// `"?principal"` or `"?resource"`.
    static func decodeSlot(_ json: JSON) throws(JSONError) -> SlotID {
        let name = try json.asString()
        guard let slot = SlotID(rawValue: name) else {
            throw JSONError(.invalidValue, "unknown slot `\(name)`, expected `?principal` or `?resource`")
        }
        return slot
    }

    /// The body of an `{"Value": v}` expression: a Cedar value in JSON, read as an
    /// expression without evaluating it. Sets and records become set and record
    /// expressions, and `__extn` escapes become calls, whatever function they name.
    static func decodeValueExpr(_ json: JSON) throws(JSONError) -> Expr {
        switch json {
        case .null:
            throw JSONError(.invalidValue, "found `null`; JSON `null`s are not allowed in Cedar")
        case .bool(let b):
            return Expr(.value(.bool(b)))
        case .number(let n):
            return Expr(.value(.long(try ValueJSON.integer(n))))
        case .string(let s):
            return Expr(.value(.string(s)))
        case .array:
            return Expr(.set(try json.decodeElements(decodeValueExpr)))
        case .object(let object):
            switch ValueJSON.escape(in: object) {
            case .entity(let type, let id)?:
                return Expr(
                    .value(
                        .entity(
                            try JSONError.at(.key("__entity")) { () throws(JSONError) in
                                try ValueJSON.entityUID(type: type, id: id)
                            })))
            case .extensionCall(let function, let arguments)?:
                guard CedarIdentifier.isValidName(function) else {
                    throw JSONError(
                        .invalidValue, "invalid extension function name `\(function)`",
                        path: [.key("__extn"), .key("fn")])
                }
                return Expr(.call(function, try ValueJSON.decodeArguments(arguments, decodeValueExpr)))
            case .expression?:
                throw ValueJSON.expressionEscapeError
            case nil:
                return Expr(
                    .record(
                        try json.decodeMembers { (key, value) throws(JSONError) in
                            RecordField(key: key, value: try decodeValueExpr(value))
                        }))
            }
        }
    }

    /// The object `json`, which may hold no keys but `allowed`.
    static func fields(_ json: JSON, _ allowed: [String]) throws(JSONError) -> JSONObject {
        let object = try json.asObject()
        try object.rejectUnknownKeys(allowed: allowed)
        return object
    }

    // MARK: - Writing

    /// Writes an expression as Rust Cedar does. Literal sets, records and extension
    /// values are written as `Set`, `Record` and call expressions; records list their
    /// keys sorted.
    package static func encodeExpr(_ expr: Expr, extensions: ExtensionBridge = .standard) -> JSON {
        func encode(_ e: Expr) -> JSON { encodeExpr(e, extensions: extensions) }
        switch expr.kind {
        case .value(let value):
            return encodeValueExpr(value, extensions: extensions)
        case .variable(let variable):
            return ["Var": .string(variable.rawValue)]
        case .slot(let slot):
            return ["Slot": .string(slot.rawValue)]
        case .not(let e):
            return ["!": ["arg": encode(e)]]
        case .negate(let e):
            return ["neg": ["arg": encode(e)]]
        case .isEmpty(let e):
            return ["isEmpty": ["arg": encode(e)]]
        case .binary(let op, let a, let b):
            return [op.rawValue: ["left": encode(a), "right": encode(b)]]
        case .and(let a, let b):
            return ["&&": ["left": encode(a), "right": encode(b)]]
        case .or(let a, let b):
            return ["||": ["left": encode(a), "right": encode(b)]]
        case .ifThenElse(let c, let t, let e):
            return ["if-then-else": ["if": encode(c), "then": encode(t), "else": encode(e)]]
        case .getAttribute(let e, let attribute):
            return [".": ["left": encode(e), "attr": .string(attribute)]]
        case .hasAttribute(let e, let attribute):
            return ["has": ["left": encode(e), "attr": .string(attribute)]]
        case .like(let e, let pattern):
            let elements: [JSON] = pattern.elements.map { element in
                switch element {
                case .wildcard: return "Wildcard"
                case .literal(let scalar): return ["Literal": .string(String(scalar))]
                }
            }
            return ["like": ["left": encode(e), "pattern": .array(elements)]]
        case .isType(let e, let type, let other):
            var object: JSONObject = ["left": encode(e), "entity_type": .string(type.name)]
            if let other { object.append("in", encode(other)) }
            return ["is": .object(object)]
        case .set(let elements):
            return ["Set": .array(elements.map(encode))]
        case .record(let fields):
            let sorted = fields.sorted { $0.key.scalarsLess($1.key) }
            return ["Record": .object(JSONObject(uniqueMembers: sorted.map { (key: $0.key, value: encode($0.value)) }))]
        case .call(let name, let arguments):
            return [name: .array(arguments.map(encode))]
        }
    }

    /// A literal value as an expression: `{"Value": ...}` for booleans, integers,
    /// strings and entities; the equivalent expression for the rest.
    private static func encodeValueExpr(_ value: Value, extensions: ExtensionBridge) -> JSON {
        switch value {
        case .bool(let b):
            return ["Value": .bool(b)]
        case .long(let n):
            return ["Value": .number(JSONNumber(n))]
        case .string(let s):
            return ["Value": .string(s)]
        case .entity(let uid):
            return ["Value": ["__entity": ValueJSON.entityReference(uid)]]
        case .set(let set):
            let elements = set.map { encodeValueExpr($0, extensions: extensions) }
                .map { (text: $0.encodedBytes(), json: $0) }
                .sorted { $0.text.lexicographicallyPrecedes($1.text) }
            return ["Set": .array(elements.map(\.json))]
        case .record(let record):
            let members = record.fields.map { (key: $0.key, value: encodeValueExpr($0.value, extensions: extensions)) }
            return ["Record": .object(JSONObject(uniqueMembers: members))]
        case .ext(let extensionValue):
            let call = extensions.constructor(extensionValue)
            return [call.function: [["Value": .string(call.argument)]]]
        }
    }
}
