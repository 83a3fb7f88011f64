/// Where and how a value fails to have a schema type.
package struct TypeMismatch: Sendable, Equatable {
    /// One step down into a value.
    package enum Step: Sendable, Equatable {
        case attribute(String)
        case element
    }

    /// What is wrong at the place the steps lead to.
    package enum Problem: Sendable, Equatable {
        /// The value there has another type; `found` is its type name.
        case wrongType(expected: SchemaType, found: String)
        /// The record there lacks a required attribute.
        case missingAttribute(String)
        /// The record there has an attribute its type does not declare.
        case unexpectedAttribute(String)
    }

    /// The steps from the checked value down to the problem; empty at the value itself.
    package var steps: [Step]
    package var problem: Problem

    /// The problem, lowercase: "expected `Long`, found string".
    package var problemText: String {
        switch problem {
        case .wrongType(let expected, let found): return "expected `\(expected.schemaText)`, found \(found)"
        case .missingAttribute(let name): return "missing required attribute `\(name)`"
        case .unexpectedAttribute(let name): return "attribute `\(name)` should not exist according to the schema"
        }
    }

    /// The place the steps lead to, written from `base`: `rec.a`, `ids[*]`, `rec["two words"]`.
    package func location(from base: String) -> String {
        var text = base
        for step in steps {
            switch step {
            case .element:
                text += "[*]"
            case .attribute(let name):
                text += CedarIdentifier.isAnyIdentifier(name) ? "." + name : "[" + CedarStringLiteral.quote(name) + "]"
            }
        }
        return text
    }

    /// "in attribute `rec` on `User::"a"`, at `rec.a`, expected `Long`, found string",
    /// given `subject` "attribute" and `name` "rec".
    package func message(subject: String, name: String, on owner: String) -> String {
        let place = steps.isEmpty ? "" : "at `\(location(from: name))`, "
        return "in \(subject) `\(name)` on \(owner), \(place)\(problemText)"
    }

    fileprivate func under(_ step: Step) -> TypeMismatch {
        TypeMismatch(steps: [step] + steps, problem: problem)
    }
}

extension SchemaType {
    /// The first place where `value` does not have this type, or nil when it has it.
    ///
    /// As in Rust Cedar: an entity must have exactly the expected entity type; an empty
    /// set has every set type; a record must have every required attribute and no
    /// undeclared one, required attributes being checked first, in name order. Among
    /// several bad elements of a set the one reported is fixed (the smallest message),
    /// so reports do not depend on hashing.
    package func mismatch(with value: Value) -> TypeMismatch? {
        func wrongType() -> TypeMismatch {
            TypeMismatch(steps: [], problem: .wrongType(expected: self, found: value.typeName))
        }
        switch (self, value) {
        case (.bool, .bool), (.long, .long), (.string, .string):
            return nil
        case (.entity(let type), .entity(let uid)):
            return uid.type == type ? nil : wrongType()
        case (.extension(let name), .ext(let extensionValue)):
            return extensionValue.typeName == name ? nil : wrongType()
        case (.set(let element), .set(let set)):
            var first: (key: String, mismatch: TypeMismatch)?
            for member in set {
                guard let found = element.mismatch(with: member)?.under(.element) else { continue }
                let key = found.location(from: "") + " " + found.problemText
                if first.map({ key.scalarsLess($0.key) }) ?? true { first = (key, found) }
            }
            return first?.mismatch
        case (.record(let schema), .record(let record)):
            return schema.mismatch(with: record)
        default:
            return wrongType()
        }
    }

    /// The type as the Cedar schema format writes it: `Long`, `Set<User>`,
    /// `{ name: String, age?: Long }`, `ipaddr`.
    package var schemaText: String {
        switch self {
        case .bool: return "Bool"
        case .long: return "Long"
        case .string: return "String"
        case .set(let element): return "Set<\(element.schemaText)>"
        case .entity(let type): return type.name
        case .extension(let name): return name
        case .record(let record):
            guard !record.attributes.isEmpty else { return "{}" }
            let shown = record.attributes.prefix(Self.shownAttributes).map { attribute in
                let name = CedarIdentifier.isAnyIdentifier(attribute.name)
                    ? attribute.name : CedarStringLiteral.quote(attribute.name)
                return "\(name)\(attribute.isRequired ? "" : "?"): \(attribute.type.schemaText)"
            }
            let more = record.attributes.count > Self.shownAttributes ? ", ..." : ""
            return "{ " + shown.joined(separator: ", ") + more + " }"
        }
    }

    /// How many attributes of a record type messages spell out.
    private static let shownAttributes = 4
}

extension RecordSchema {
    /// The first place where `record` does not have this record type, or nil.
    package func mismatch(with record: Record) -> TypeMismatch? {
        // Most records have the type: that is found without ordering the attributes,
        // which only decides which of several problems is reported.
        if conforms(record) { return nil }
        let sortedAttributes = attributes.sorted { $0.name.scalarsLess($1.name) }
        for attribute in sortedAttributes where attribute.isRequired {
            guard let value = record[attribute.name] else {
                return TypeMismatch(steps: [], problem: .missingAttribute(attribute.name))
            }
            if let found = attribute.type.mismatch(with: value) { return found.under(.attribute(attribute.name)) }
        }
        for field in record {
            guard let attribute = self[field.key] else {
                return TypeMismatch(steps: [], problem: .unexpectedAttribute(field.key))
            }
            if let found = attribute.type.mismatch(with: field.value) { return found.under(.attribute(field.key)) }
        }
        return nil
    }

    /// Whether `mismatch(with: record)` is nil: every required attribute present and
    /// every field declared, each value of its type.
    private func conforms(_ record: Record) -> Bool {
        for attribute in attributes where attribute.isRequired && record[attribute.name] == nil { return false }
        for field in record {
            guard let attribute = self[field.key], attribute.type.mismatch(with: field.value) == nil else { return false }
        }
        return true
    }
}
