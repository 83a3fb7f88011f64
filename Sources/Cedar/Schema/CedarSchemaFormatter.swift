/// Prints a `SchemaFragment` in Cedar's human format exactly as Rust Cedar does
/// (`cedar_schema/fmt.rs`): namespaces in canonical order, then in each its common
/// types, entity types and actions, sorted by name and separated by blank lines,
/// indented by two spaces. Types the JSON format names explicitly print with their
/// `__cedar::` name (`__cedar::Long`), so they mean the same whatever else is declared.
enum CedarSchemaFormatter {
    private static let indentation = 2

    static func text(of fragment: SchemaFragment) throws(SchemaError) -> String {
        try checkExpressible(fragment)
        var out = ""
        for (index, namespace) in fragment.namespaces.enumerated() {
            if let name = namespace.name {
                appendAnnotations(namespace.annotations, indent: 0, to: &out)
                out += "namespace \(name) {\n"
                appendBody(of: namespace, indent: indentation, to: &out)
                out += "}\n"
            } else {
                appendBody(of: namespace, indent: 0, to: &out)
            }
            if index < fragment.namespaces.count - 1 { out += "\n" }
        }
        return out
    }

    /// Throws for what the human format cannot say: an entity type and a common type
    /// of the same name in a (named) namespace, and entity shapes not written as records.
    private static func checkExpressible(_ fragment: SchemaFragment) throws(SchemaError) {
        for namespace in fragment.namespaces {
            guard let name = namespace.name else { continue }
            let commonTypes = Set(namespace.commonTypes.map(\.name))
            if let clash = namespace.entityTypes.first(where: { commonTypes.contains($0.name) }) {
                throw SchemaError(
                    .notExpressible,
                    "the human schema format cannot declare `\((name + "::" + clash.name).truncatedForMessage)` as both an entity type "
                        + "and a common type",
                    path: [.key(name), .key("entityTypes"), .key(clash.name)])
            }
        }
        for namespace in fragment.namespaces {
            for entityType in namespace.entityTypes {
                guard case .standard(_, let shape, _) = entityType.kind else { continue }
                guard case .record = shape else {
                    let name = SchemaFragment.Name(text: entityType.name).qualified(by: namespace.name)
                    throw SchemaError(
                        .notExpressible,
                        "the human schema format cannot declare the shape of entity type `\(name.truncatedForMessage)`, "
                            + "which is not written as a record",
                        path: [.key(namespace.name ?? ""), .key("entityTypes"), .key(entityType.name), .key("shape")])
                }
            }
        }
    }

    private static func appendBody(of namespace: SchemaFragment.Namespace, indent: Int, to out: inout String) {
        let base = String(repeating: " ", count: indent)
        var remaining = namespace.commonTypes.count + namespace.entityTypes.count + namespace.actions.count
        func separate() {
            remaining -= 1
            if remaining > 0 { out += "\n" }
        }
        for commonType in namespace.commonTypes {
            appendAnnotations(commonType.annotations, indent: indent, to: &out)
            out += "\(base)type \(commonType.name) = "
            appendType(commonType.type, indent: indent, to: &out)
            out += ";\n"
            separate()
        }
        for entityType in namespace.entityTypes {
            appendAnnotations(entityType.annotations, indent: indent, to: &out)
            out += "\(base)entity \(entityType.name)"
            appendEntityType(entityType.kind, indent: indent, to: &out)
            out += ";\n"
            separate()
        }
        for action in namespace.actions {
            appendAnnotations(action.annotations, indent: indent, to: &out)
            out += "\(base)action \(CedarStringLiteral.quote(action.name))"
            appendAction(action, indent: indent, to: &out)
            out += ";\n"
            separate()
        }
    }

    private static func appendEntityType(_ kind: SchemaFragment.EntityType.Kind, indent: Int, to out: inout String) {
        switch kind {
        case .enumeration(let choices):
            out += " enum [" + choices.map(CedarStringLiteral.quote).joined(separator: ", ") + "]"
        case .standard(let memberOfTypes, let shape, let tags):
            if !memberOfTypes.isEmpty {
                out += " in [" + memberOfTypes.map(\.text).joined(separator: ", ") + "]"
            }
            if !shape.isEmptyRecord {
                out += " = "
                appendType(shape, indent: indent, to: &out)
            }
            if let tags {
                // Rust prints the tag type without the declaration's indentation.
                out += " tags "
                appendType(tags, indent: 0, to: &out)
            }
        }
    }

    private static func appendAction(_ action: SchemaFragment.Action, indent: Int, to out: inout String) {
        if let memberOf = action.memberOf, !memberOf.isEmpty {
            let groups = memberOf.map { ($0.type?.text ?? "Action") + "::" + CedarStringLiteral.quote($0.id) }
            out += " in [" + groups.joined(separator: ", ") + "]"
        }
        // An action that applies to no principal or no resource prints without
        // `appliesTo`, which means the same.
        guard let appliesTo = action.appliesTo, !appliesTo.principalTypes.isEmpty, !appliesTo.resourceTypes.isEmpty
        else { return }
        let base = String(repeating: " ", count: indent)
        let member = String(repeating: " ", count: indent + indentation)
        out += " appliesTo {\n"
        out += "\(member)principal: [" + appliesTo.principalTypes.map(\.text).joined(separator: ", ") + "],\n"
        out += "\(member)resource: [" + appliesTo.resourceTypes.map(\.text).joined(separator: ", ") + "],\n"
        out += "\(member)context: "
        if appliesTo.context.isEmptyRecord {
            out += "{}"
        } else {
            appendType(appliesTo.context, indent: indent + indentation, to: &out)
        }
        out += "\n\(base)}"
    }

    /// Appends `type`; nested lines are indented relative to `indent`.
    private static func appendType(_ type: SchemaFragment.TypeExpr, indent: Int, to out: inout String) {
        switch type {
        case .boolean: out += "__cedar::Bool"
        case .long: out += "__cedar::Long"
        case .string: out += "__cedar::String"
        case .extension(let name): out += "__cedar::" + name
        case .entity(let name), .entityOrCommon(let name), .commonType(let name): out += name.text
        case .set(let element):
            out += "Set<"
            appendType(element, indent: indent, to: &out)
            out += ">"
        case .record(let record):
            appendRecord(record, indent: indent, to: &out)
        }
    }

    private static func appendRecord(_ record: SchemaFragment.Record, indent: Int, to out: inout String) {
        let member = String(repeating: " ", count: indent + indentation)
        out += "{"
        for (index, attribute) in record.attributes.enumerated() {
            if index == 0 { out += "\n" }
            appendAnnotations(attribute.annotations, indent: indent + indentation, to: &out)
            out += member
            out +=
                SchemaNames.isPlainAttributeName(attribute.name)
                ? attribute.name : CedarStringLiteral.quote(attribute.name)
            out += attribute.isRequired ? ": " : "?: "
            appendType(attribute.type, indent: indent + indentation, to: &out)
            if index < record.attributes.count - 1 { out += "," }
            out += "\n"
        }
        out += String(repeating: " ", count: indent) + "}"
    }

    private static func appendAnnotations(
        _ annotations: SchemaFragment.Annotations, indent: Int, to out: inout String
    ) {
        for entry in annotations.entries {
            out += String(repeating: " ", count: indent) + "@" + entry.key
            if let value = entry.value { out += "(" + CedarStringLiteral.quote(value) + ")" }
            out += "\n"
        }
    }
}
