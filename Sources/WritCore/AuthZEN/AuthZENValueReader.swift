import Cedar

/// Reads the values of AuthZEN `properties` and `context` as Cedar values.
///
/// With a schema, a property is read by the type its entity type declares for the
/// attribute of that name, and a context member by the type the action's context
/// declares (so `"10.0.0.1"` becomes an `ipaddr` where one is declared, and
/// `{"type": "User", "id": "alice"}` an entity); members the schema does not declare
/// are dropped, since no valid policy can read them. Without a schema values are read
/// as Cedar's JSON value format reads them (objects as records, arrays as sets).
///
/// Either way Cedar has no `null` and no numbers but 64-bit integers: `null` is a
/// `.wrongType` error, and `1.5`, `1e400`, `-0` or 2^63 an `.invalidNumber` error,
/// naming the value's path. A value of the wrong type is `.wrongType`.
struct AuthZENValueReader: Sendable {
    let schema: Schema?
    private let reader = SchemaValueReader()

    init(schema: Schema?) {
        self.schema = schema
    }

    /// The attributes `properties` give an entity of type `type`: the declared ones,
    /// read by their declared types, or all of them without a schema. Nothing for a
    /// type the schema does not declare (such a request is denied anyway).
    func attributes(_ properties: [AuthZENProperty], of type: EntityType) throws(WritError) -> [(String, Value)] {
        var result: [(String, Value)] = []
        guard let schema else {
            for property in properties { result.append((property.key, try read(property.value, as: nil, at: property.path))) }
            return result
        }
        guard let declaration = schema.entityTypes[type] else { return [] }
        for property in properties {
            guard let attribute = declaration.attributes[property.key] else { continue }
            result.append((property.key, try read(property.value, as: attribute.type, at: property.path)))
        }
        return result
    }

    /// The context record for a request with `action`: with a schema, the members the
    /// action's context type declares (none for an undeclared action, whose request is
    /// denied anyway).
    func context(_ object: AuthZENObject?, for action: EntityUID) throws(WritError) -> Record {
        guard let object, !object.members.isEmpty else { return Record() }
        var fields: [(String, Value)] = []
        fields.reserveCapacity(object.members.count)
        if let schema {
            guard let declaration = schema.actions[action] else { return Record() }
            for member in object.members {
                guard let attribute = declaration.context[member.key] else { continue }
                fields.append(
                    (member.key, try read(member.value, as: attribute.type, at: object.path.appending(member.key))))
            }
        } else {
            for member in object.members {
                fields.append((member.key, try read(member.value, as: nil, at: object.path.appending(member.key))))
            }
        }
        return Record(fields)
    }

    /// Reads `json`, found at `path`, as a value of `type` (nil: as without a schema).
    /// `path` is only built when there is an error to report.
    func read(_ json: JSON, as type: SchemaType?, at path: @autoclosure () -> AuthZENPath) throws(WritError) -> Value {
        try Self.checkRepresentable(json, at: path())
        let value: Value
        do {
            value = try reader.read(json, as: type)
        } catch {
            throw WritError(.wrongType, "`\(path().appending(error.pathComponents ?? []))`: \(error.message)")
        }
        if let type, let mismatch = type.mismatch(with: value) {
            throw WritError(.wrongType, "`\(mismatch.location(from: path().description))`: \(mismatch.problemText)")
        }
        return value
    }

    /// Rejects `null` and numbers Cedar cannot hold, anywhere in `json`.
    private static func checkRepresentable(_ json: JSON, at path: @autoclosure () -> AuthZENPath) throws(WritError) {
        switch json {
        case .null:
            throw WritError(.wrongType, "`\(path())` is `null`, which has no Cedar value")
        case .number(let number):
            guard number.int64 != nil else {
                throw WritError(
                    .invalidNumber, "`\(path())` is `\(number.text)`; Cedar numbers are integers from -2^63 to 2^63-1")
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                try checkRepresentable(element, at: path().appending(index: index))
            }
        case .object(let object):
            for member in object { try checkRepresentable(member.value, at: path().appending(member.key)) }
        case .bool, .string:
            break
        }
    }
}

/// One property of an AuthZEN subject or resource: a member of its `properties`, or,
/// with `extraMembersAsProperties`, a member beside `type` and `id`.
struct AuthZENProperty: Sendable {
    let key: String
    let value: JSON
    /// The object holding the property.
    let parent: AuthZENPath

    /// Where the property sits, for error messages; built only when one is made.
    var path: AuthZENPath { parent.appending(key) }
}
