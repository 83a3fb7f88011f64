/// Cedar values in Cedar's JSON format, read without a schema exactly as Rust Cedar
/// reads them: `true`, `42` (a 64-bit integer; no fractions or exponents), `"text"`,
/// arrays as sets, objects as records, and three escapes, each an object with a single
/// key:
///
/// - `{"__entity": {"type": "User", "id": "alice"}}`, an entity reference;
/// - `{"__extn": {"fn": "ip", "arg": "10.0.0.1"}}` (or `"args": [...]`), an extension
///   function call, evaluated as the value is read;
/// - `{"__expr": "..."}`, no longer supported and always an error.
///
/// An object that only resembles an escape (`{"__entity": {"type": "User"}}`, or
/// `{"type": "User", "id": "alice"}` outside an entity-reference position) is a record.
/// Schema-directed reading, which turns such shapes into entities or extension values
/// by expected type, belongs to a schema-aware entry point layered on these functions.
package enum ValueJSON {
    /// The keys whose single-key objects are escapes; a record using one cannot be written.
    static let reservedKeys = ["__entity", "__extn", "__expr"]

    /// The special meaning of a single-key object, if it has one.
    enum Escape {
        case entity(type: String, id: String)
        case extensionCall(function: String, arguments: ExtensionArguments)
        case expression
    }

    /// How an `__extn` escape gives its arguments.
    enum ExtensionArguments {
        /// `"arg": value`
        case single(JSON)
        /// `"args": [values]`
        case multiple([JSON])
    }

    /// Classifies `object` as Rust Cedar does: an escape needs exactly one member, and
    /// an inner object with at least two members of the right types; anything else is
    /// an ordinary record. Extra inner members are ignored; `arg` wins over `args`.
    static func escape(in object: JSONObject) -> Escape? {
        guard object.count == 1, let member = object.members.first else { return nil }
        switch member.key {
        case "__entity":
            guard case .object(let inner) = member.value, inner.count >= 2,
                case .string(let type)? = inner["type"], case .string(let id)? = inner["id"]
            else { return nil }
            return .entity(type: type, id: id)
        case "__extn":
            guard case .object(let inner) = member.value, inner.count >= 2,
                case .string(let function)? = inner["fn"]
            else { return nil }
            if let argument = inner["arg"] {
                return .extensionCall(function: function, arguments: .single(argument))
            }
            if case .array(let arguments)? = inner["args"] {
                return .extensionCall(function: function, arguments: .multiple(arguments))
            }
            return nil
        case "__expr":
            guard case .string = member.value else { return nil }
            return .expression
        default:
            return nil
        }
    }

    /// Decodes the arguments of an `__extn` escape with `body`, locating errors at
    /// `__extn.arg` or `__extn.args[i]`.
    static func decodeArguments<T>(
        _ arguments: ExtensionArguments, _ body: (JSON) throws(JSONError) -> T
    ) throws(JSONError) -> [T] {
        try JSONError.at(.key("__extn")) { () throws(JSONError) in
            switch arguments {
            case .single(let argument):
                return [try JSONError.at(.key("arg")) { () throws(JSONError) in try body(argument) }]
            case .multiple(let list):
                return try JSONError.at(.key("args")) { () throws(JSONError) in
                    try JSON.array(list).decodeElements(body)
                }
            }
        }
    }

    // MARK: - Reading

    /// Reads a Cedar value, evaluating `__extn` escapes with `extensions`.
    package static func decode(_ json: JSON, extensions: ExtensionBridge) throws(JSONError) -> Value {
        switch json {
        case .null:
            throw JSONError(.invalidValue, "found `null`; JSON `null`s are not allowed in Cedar")
        case .bool(let b):
            return .bool(b)
        case .number(let n):
            return .long(try integer(n))
        case .string(let s):
            return .string(s)
        case .array:
            let elements = try json.decodeElements { (element) throws(JSONError) in
                try decode(element, extensions: extensions)
            }
            return .set(CedarSet(elements))
        case .object(let object):
            switch escape(in: object) {
            case .entity(let type, let id)?:
                let uid = try JSONError.at(.key("__entity")) { () throws(JSONError) in
                    try entityUID(type: type, id: id)
                }
                return .entity(uid)
            case .extensionCall(let function, let arguments)?:
                let values = try decodeArguments(arguments) { (argument) throws(JSONError) in
                    try decode(argument, extensions: extensions)
                }
                do {
                    return try extensions.call(function, values)
                } catch {
                    throw JSONError(.extensionError, error.message, path: [.key("__extn")])
                }
            case .expression?:
                throw expressionEscapeError
            case nil:
                let fields = try json.decodeMembers { (key, member) throws(JSONError) in
                    (key, try decode(member, extensions: extensions))
                }
                return .record(Record(fields))
            }
        }
    }

    /// The error for an `__expr` escape, which Cedar 4 no longer supports.
    static let expressionEscapeError = JSONError(
        .invalidValue, "the `__expr` escape is no longer supported", path: [.key("__expr")])

    /// The 64-bit integer `number` denotes, or an `invalid_value` error.
    static func integer(_ number: JSONNumber) throws(JSONError) -> Int64 {
        guard let value = number.int64 else {
            throw JSONError(.invalidValue, "expected a 64-bit integer, found `\(number.text)`")
        }
        return value
    }

    /// Reads an entity reference where one is expected (an entity's uid or parents, a
    /// request's principal): `{"type": "User", "id": "alice"}` or the same inside
    /// `{"__entity": ...}`. Other members of the object are ignored, as in Rust Cedar.
    package static func decodeEntityReference(_ json: JSON) throws(JSONError) -> EntityUID {
        let expected = "an entity reference `{\"type\": ..., \"id\": ...}`"
        let object = try json.asObject(expected)
        if case .string? = object["__expr"] { throw expressionEscapeError }
        if case .object(let inner)? = object["__entity"],
            case .string(let type)? = inner["type"], case .string(let id)? = inner["id"]
        {
            return try JSONError.at(.key("__entity")) { () throws(JSONError) in try entityUID(type: type, id: id) }
        }
        return try entityUID(type: try object.decodeString("type"), id: try object.decodeString("id"))
    }

    /// An entity uid from a type name, which must be a valid Cedar name, and any id;
    /// a bad name is reported at `type`.
    package static func entityUID(type: String, id: String) throws(JSONError) -> EntityUID {
        EntityUID(type: try JSONError.at(.key("type")) { () throws(JSONError) in try entityType(type) }, id: id)
    }

    /// An entity type from its name, or an `invalid_value` error.
    package static func entityType(_ name: String) throws(JSONError) -> EntityType {
        guard CedarIdentifier.isValidName(name) else {
            throw JSONError(.invalidValue, "invalid entity type name `\(name)`")
        }
        return EntityType(name)
    }

    // MARK: - Writing

    /// Writes a Cedar value with `__entity` and `__extn` escapes. Set elements are
    /// sorted by their JSON text so the output is deterministic. Throws `reserved_key`
    /// for a record with an escape key, which would read back as something else.
    package static func encode(_ value: Value, extensions: ExtensionBridge) throws(JSONError) -> JSON {
        switch value {
        case .bool(let b):
            return .bool(b)
        case .long(let n):
            return .number(JSONNumber(n))
        case .string(let s):
            return .string(s)
        case .entity(let uid):
            return ["__entity": entityReference(uid)]
        case .set(let set):
            var encoded: [(text: [UInt8], json: JSON)] = []
            encoded.reserveCapacity(set.count)
            for (i, element) in set.enumerated() {
                let json = try JSONError.at(.index(i)) { () throws(JSONError) in
                    try encode(element, extensions: extensions)
                }
                encoded.append((json.encodedBytes(), json))
            }
            encoded.sort { $0.text.lexicographicallyPrecedes($1.text) }
            return .array(encoded.map(\.json))
        case .record(let record):
            var object = JSONObject()
            for field in record {
                if reservedKeys.contains(field.key) {
                    throw JSONError(.reservedKey, "record uses reserved key `\(field.key)`", path: [.key(field.key)])
                }
                let json = try JSONError.at(.key(field.key)) { () throws(JSONError) in
                    try encode(field.value, extensions: extensions)
                }
                object.append(field.key, json)
            }
            return .object(object)
        case .ext(let extensionValue):
            let call = extensions.constructor(extensionValue)
            if case .datetime(let datetime) = extensionValue,
                (try? extensions.call(call.function, [.string(call.argument)])) != value
            {
                return datetimeAsOffset(datetime, extensions: extensions)
            }
            return extensionCall(call.function, "arg", .string(call.argument))
        }
    }

    /// A datetime that `datetime()` cannot denote (one `offset` moved beyond year 9999
    /// or before year 0000), written as Rust Cedar writes every computed datetime:
    /// `offset(datetime("1970-01-01"), duration("<milliseconds>ms"))`.
    private static func datetimeAsOffset(_ datetime: CedarDatetime, extensions: ExtensionBridge) -> JSON {
        let duration = extensions.constructor(.duration(CedarDuration(milliseconds: datetime.milliseconds)))
        return extensionCall(
            "offset", "args",
            [
                extensionCall("datetime", "arg", "1970-01-01"),
                extensionCall(duration.function, "arg", .string(duration.argument)),
            ])
    }

    /// `{"__extn": {"fn": function, key: argument}}`
    private static func extensionCall(_ function: String, _ key: String, _ argument: JSON) -> JSON {
        ["__extn": .object(["fn": .string(function), key: argument])]
    }

    /// `{"type": "User", "id": "alice"}`
    package static func entityReference(_ uid: EntityUID) -> JSON {
        ["type": .string(uid.type.name), "id": .string(uid.id)]
    }
}

/// Reads the Cedar values of entity attributes, entity tags and request contexts.
///
/// This is where schema-based reading plugs in: without a schema every value is read
/// by `ValueJSON.decode`, as here; a schema-aware reader reads each value by the type
/// the schema expects at its position (turning `"10.0.0.1"` into an `ipaddr`, say).
package struct CedarValueReader: Sendable {
    /// Where a value sits, which determines its expected type under a schema.
    package enum Position: Sendable {
        case attribute(of: EntityUID, named: String)
        case tag(of: EntityUID, named: String)
        /// The whole context of a request.
        case context
    }

    /// Reads the value `json` found at `position`.
    package var read: @Sendable (_ json: JSON, _ position: Position) throws(JSONError) -> Value

    package init(read: @escaping @Sendable (_ json: JSON, _ position: Position) throws(JSONError) -> Value) {
        self.read = read
    }

    /// Reads every value as Rust Cedar does without a schema.
    package static func schemaless(extensions: ExtensionBridge) -> CedarValueReader {
        CedarValueReader { json, _ throws(JSONError) in try ValueJSON.decode(json, extensions: extensions) }
    }
}
