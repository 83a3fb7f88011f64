/// Attribute access and `has`: where optional attributes need a guard.
extension Typechecker {
    func typecheckGetAttribute(
        _ e: Expr, _ target: Expr, _ name: String, _ prior: KnownCapabilities, _ d: Int
    ) -> TypecheckAnswer {
        expect(target, prior, oneOf: [.anyEntity, .anyRecord], depth: d).then { targetType, _ in
            guard let targetType else { return .failure(nil) }
            guard let attribute = attributeType(of: targetType, name) else {
                let suggestion = suggester.suggest(
                    name, among: attributeNames(of: targetType), scope: "attributes of \(targetType)")
                report(.unsafeAttributeAccess(policyID, e.span, access(target, targetType, name), suggestion: suggestion))
                return .failure(nil)
            }
            // Safe when always present, or when a `has` guard proved it present.
            if attribute.isRequired || prior.contains(.attribute(target, name)) { return .success(attribute.type) }
            report(.unsafeOptionalAttributeAccess(policyID, e.span, access(target, targetType, name)))
            return .failure(attribute.type)
        }
    }

    func typecheckHasAttribute(_ target: Expr, _ name: String, _ prior: KnownCapabilities, _ d: Int) -> TypecheckAnswer {
        let actual = expect(target, prior, oneOf: [.anyEntity, .anyRecord], depth: d) { type in
            switch type {
            case .set: return "try using `contains`, `containsAny` or `containsAll` to examine the contents of a set"
            case .string: return "try using `like` to examine the contents of a string"
            default: return nil
            }
        }
        return actual.then { targetType, _ in
            guard let targetType else { return .failure(.boolean) }
            let capability = Capability.attribute(target, name)
            guard let attribute = attributeType(of: targetType, name) else {
                // Not declared: false, unless the type may have attributes it does not list.
                return .success(mayHaveUndeclaredAttributes(targetType) ? .boolean : .falseType)
            }
            // A required attribute of a record is always there; an entity's only when the
            // entity exists, which an earlier guard on the same expression proves.
            let known = prior.contains(capability) || (attribute.isRequired && targetType.isRecord)
            return .success(known ? .trueType : .boolean, [capability])
        }
    }

    /// The declared type of attribute `name` of a record or entity type.
    func attributeType(of type: CedarType, _ name: String) -> AttributeType? {
        switch type {
        case .record(let record): return record[name]
        case .entity(let entityType): return schema.entityTypes[entityType]?.attributes[name]
        default: return nil
        }
    }

    private func attributeNames(of type: CedarType) -> [String] {
        switch type {
        case .record(let record): return record.sortedNames
        case .entity(let entityType): return schema.entityTypes[entityType]?.attributes.sortedNames ?? []
        default: return []
        }
    }

    /// Whether a value of `type` may have attributes its type does not list: any
    /// entity, and an entity of a type the schema does not declare (an action has none).
    private func mayHaveUndeclaredAttributes(_ type: CedarType) -> Bool {
        switch type {
        case .never, .anyEntity: return true
        case .entity(let entityType): return !entityType.isAction && schema.entityTypes[entityType] == nil
        case .record(let record): return record.isOpen
        default: return false
        }
    }

    /// Describes reading `name` from `target` for a message: the chain of attributes
    /// read, back to the nearest entity or to `context`.
    private func access(_ target: Expr, _ targetType: CedarType, _ name: String) -> AttributeAccess {
        var path = [name]
        var current = target
        var currentType: CedarType? = targetType
        while true {
            if case .entity(let type)? = currentType { return AttributeAccess(base: .entity(type), path: path) }
            switch current.kind {
            case .variable(.context): return AttributeAccess(base: .context(env.action), path: path)
            case .getAttribute(let inner, let attribute) where path.count < Self.maxDepth:
                path.insert(attribute, at: 0)
                current = inner
                currentType = staticType(of: inner)
            default: return AttributeAccess(base: .other, path: path)
            }
        }
    }

    /// The type of a variable, literal or attribute chain, without reporting anything.
    private func staticType(of e: Expr) -> CedarType? {
        var names: [String] = []
        var root = e
        while case .getAttribute(let inner, let name) = root.kind, names.count < Self.maxDepth {
            names.append(name)
            root = inner
        }
        var type: CedarType?
        switch root.kind {
        case .variable(.principal): type = .entity(env.principal)
        case .variable(.resource): type = .entity(env.resource)
        case .variable(.action): type = schema.literalType(env.action)
        case .variable(.context): type = .record(env.context)
        case .value(.entity(let uid)): type = schema.literalType(uid)
        case .slot(let slot): type = (slot == .principal ? env.principalSlot : env.resourceSlot).map(CedarType.entity)
        default: return nil
        }
        for name in names.reversed() {
            guard let current = type else { return nil }
            type = attributeType(of: current, name)?.type
        }
        return type
    }
}

extension CedarType {
    var isRecord: Bool {
        if case .record = self { return true }
        return false
    }
}
