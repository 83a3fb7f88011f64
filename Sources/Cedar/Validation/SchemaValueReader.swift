/// Reads Cedar values in Cedar's JSON format by the type a schema expects at their
/// position, as Rust Cedar's schema-based parsing does:
///
/// - where an entity is expected, `{"type": "User", "id": "alice"}` is an entity
///   reference, as is the explicit `{"__entity": {...}}`;
/// - where an extension type is expected, besides the explicit
///   `{"__extn": {"fn": "ip", "arg": "10.0.0.1"}}`, the escape may be left out
///   (`{"fn": "ip", "arg": "10.0.0.1"}`), and any other value is the argument of the
///   type's constructor: `"10.0.0.1"` where an `ipaddr` is expected is `ip("10.0.0.1")`.
///   The arguments of an escape are read by the types the function takes, so
///   `{"fn": "offset", "args": ["2024-10-15", "1h"]}` is a datetime;
/// - sets and records are read element by element and attribute by attribute; a record
///   must have every required attribute and no undeclared one;
/// - everything else (and every position the schema says nothing about) is read as
///   without a schema.
///
/// Like Rust Cedar, reading checks only shapes: it does not check that a `long` was
/// given where a `Long` is expected, that an entity has the expected type, or that an
/// escape produced the expected extension type. That is `SchemaType.mismatch(with:)`'s
/// job, applied to entities right after reading and to a context when its request is
/// validated.
package struct SchemaValueReader: Sendable {
    /// The extension functions that escapes and implicit constructors call.
    package let extensions: ExtensionBridge

    /// A reader calling `extensions`.
    package init(extensions: ExtensionBridge = .standard) {
        self.extensions = extensions
    }

    /// Reads `json` as a value the schema expects to have type `expected`; nil reads
    /// it without a schema. Errors are located by their path below `json`.
    package func read(_ json: JSON, as expected: SchemaType?) throws(JSONError) -> Value {
        if let unknown = Self.unknownName(in: json) {
            // Rust Cedar reads this as an unknown for partial evaluation, whatever the
            // type; without partial evaluation it is the same error as without a schema.
            return try call("unknown", [.string(unknown)])
        }
        switch expected {
        case nil, .bool?, .long?, .string?:
            return try ValueJSON.decode(json, extensions: extensions)
        case .entity?:
            return .entity(try ValueJSON.decodeEntityReference(json))
        case .extension(let typeName)?:
            return try readExtension(json, typeName: typeName)
        case .set(let element)?:
            guard case .array(let elements) = json else { throw try mismatch(json, expected: .set(element)) }
            var values: [Value] = []
            values.reserveCapacity(elements.count)
            for (i, item) in elements.enumerated() {
                values.append(try JSONError.at(.index(i)) { () throws(JSONError) in try read(item, as: element) })
            }
            return .set(CedarSet(values))
        case .record(let record)?:
            guard case .object(let object) = json else { throw try mismatch(json, expected: .record(record)) }
            return .record(try readRecord(object, record))
        }
    }

    // MARK: - Records

    /// Reads the attributes `record` declares, in name order as Rust Cedar does, then
    /// rejects the first undeclared one.
    private func readRecord(_ object: JSONObject, _ record: RecordSchema) throws(JSONError) -> Record {
        var fields: [(String, Value)] = []
        fields.reserveCapacity(object.count)
        for attribute in record.attributes.sorted(by: { $0.name.scalarsLess($1.name) }) {
            guard let member = object[attribute.name] else {
                if attribute.isRequired {
                    throw JSONError(
                        .missingAttribute,
                        "expected the record to have an attribute `\(attribute.name)`, but it does not")
                }
                continue
            }
            let value = try JSONError.at(.key(attribute.name)) { () throws(JSONError) in
                try read(member, as: attribute.type)
            }
            fields.append((attribute.name, value))
        }
        let undeclared = object.keys.filter { record[$0] == nil }
        if let first = undeclared.min(by: { $0.scalarsLess($1) }) {
            throw JSONError(
                .unexpectedAttribute, "record attribute `\(first)` should not exist according to the schema",
                path: [.key(first)])
        }
        return Record(fields)
    }

    // MARK: - Extension values

    /// An extension function and its arguments, as an escape gives them.
    private struct Call {
        let function: String
        /// Each argument with where it sits below the escape object.
        let arguments: [(json: JSON, path: [JSONPathComponent])]
    }

    /// Reads a value where extension type `typeName` is expected.
    private func readExtension(_ json: JSON, typeName: String) throws(JSONError) -> Value {
        if case .object(let object) = json {
            if case .string? = object["__expr"] { throw ValueJSON.expressionEscapeError }
            if case .object(let inner)? = object["__extn"], let escape = Self.call(in: inner) {
                return try JSONError.at(.key("__extn")) { () throws(JSONError) in try evaluate(escape) }
            }
            if let escape = Self.call(in: object) {
                return try evaluate(escape)
            }
        }
        guard let constructor = ExtensionFunctionTypes.stringConstructor(for: typeName) else {
            throw JSONError(.extensionError, "extension type `\(typeName)` has no constructor to read a value with")
        }
        return try call(constructor, [try ValueJSON.decode(json, extensions: extensions)])
    }

    /// The call an object spells as `{"fn": name, "arg": value}` or
    /// `{"fn": name, "args": [values]}` (other members ignored; `arg` wins), if any.
    private static func call(in object: JSONObject) -> Call? {
        guard case .string(let function)? = object["fn"] else { return nil }
        if let argument = object["arg"] {
            return Call(function: function, arguments: [(argument, [.key("arg")])])
        }
        if case .array(let list)? = object["args"] {
            return Call(
                function: function,
                arguments: list.enumerated().map { ($0.element, [.key("args"), .index($0.offset)]) })
        }
        return nil
    }

    /// Reads the arguments of `escape` by the types its function takes and applies it.
    private func evaluate(_ escape: Call) throws(JSONError) -> Value {
        guard let signature = ExtensionFunctionTypes.signature(of: escape.function) else {
            throw JSONError(.extensionError, "extension function `\(escape.function)` does not exist")
        }
        guard signature.arguments.count == escape.arguments.count else {
            throw JSONError(
                .extensionError,
                "extension function `\(escape.function)` takes \(signature.arguments.count) "
                    + "argument\(signature.arguments.count == 1 ? "" : "s"), got \(escape.arguments.count)")
        }
        var values: [Value] = []
        values.reserveCapacity(signature.arguments.count)
        for (argument, type) in zip(escape.arguments, signature.arguments) {
            do {
                values.append(try read(argument.json, as: type))
            } catch {
                throw argument.path.reversed().reduce(error) { $0.inside($1) }
            }
        }
        return try call(escape.function, values)
    }

    /// Applies an extension function, turning its failure into a JSON error here.
    private func call(_ function: String, _ arguments: [Value]) throws(JSONError) -> Value {
        do {
            return try extensions.call(function, arguments)
        } catch {
            throw JSONError(.extensionError, error.message)
        }
    }

    /// The name in an explicit `{"__extn": {"fn": "unknown", "arg": "name"}}`, if `json` is one.
    private static func unknownName(in json: JSON) -> String? {
        guard case .object(let object) = json, case .object(let inner)? = object["__extn"],
            case .string("unknown")? = inner["fn"], case .string(let name)? = inner["arg"]
        else { return nil }
        return name
    }

    // MARK: - Errors

    /// The error for `json`, which does not have the shape of `expected`; it names the
    /// type of what was found, read without a schema (whose own errors come first).
    private func mismatch(_ json: JSON, expected: SchemaType) throws(JSONError) -> JSONError {
        let found = try ValueJSON.decode(json, extensions: extensions)
        return JSONError(.typeMismatch, "expected `\(expected.schemaText)`, found \(found.typeName)")
    }
}
