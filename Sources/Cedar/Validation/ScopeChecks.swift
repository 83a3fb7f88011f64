/// The checks Rust Cedar makes once per policy rather than per request environment:
/// every entity type, action and enumerated entity named is declared, and some action
/// of the scope applies to some principal and resource type the scope allows.
struct ScopeChecks {
    let schema: SchemaIndex
    let suggester: Suggester

    /// Undeclared entity types and actions, and enumerated entities with undeclared
    /// ids, named in the scope of `policy` or in `clauses` (its rewritten conditions).
    func namedEntityErrors<Clauses: Sequence<Expr>>(_ policy: Policy, clauses: Clauses) -> [ValidationDiagnostic] {
        var types: [(EntityType, SourceSpan?)] = []
        var uids: [(EntityUID, SourceSpan?)] = []
        for constraint in [policy.principal, policy.resource] {
            if case .entity(let uid)? = constraint.reference { uids.append((uid, policy.span)) }
            switch constraint {
            case .is(let type), .isIn(let type, _): types.append((type, policy.span))
            default: break
            }
        }
        switch policy.action {
        case .any: break
        case .equal(let uid), .in(let uid): uids.append((uid, policy.span))
        case .inSet(let list): uids += list.map { ($0, policy.span) }
        }
        for clause in clauses { Self.collectNames(clause, types: &types, uids: &uids) }
        types = uids.map { ($0.0.type, $0.1) } + types

        var errors: [ValidationDiagnostic] = []
        for (type, span) in types where !schema.isKnownEntityType(type) {
            let suggestion = suggester.suggest(type.name, among: schema.sortedEntityTypes.map(\.name), scope: "types")
            errors.append(.unrecognizedEntityType(policy.id, span, type, suggestion: suggestion))
        }
        for (uid, span) in uids where !uid.type.isAction {
            guard let choices = schema.entityTypes[uid.type]?.enumValues else { continue }
            if !choices.contains(where: { $0.scalarsEqual(uid.id) }) {
                errors.append(.invalidEnumEntity(policy.id, span, uid, choices: choices))
            }
        }
        for (uid, span) in uids where uid.type.isAction && schema.actions[uid] == nil {
            errors.append(.unrecognizedAction(policy.id, span, uid, help: actionHelp(uid)))
        }
        return errors
    }

    /// Entity types of literals and of `is` tests in `e`.
    private static func collectNames(
        _ e: Expr, types: inout [(EntityType, SourceSpan?)], uids: inout [(EntityUID, SourceSpan?)]
    ) {
        switch e.kind {
        case .value(.entity(let uid)): uids.append((uid, e.span))
        case .value, .variable, .slot: break
        case .not(let a), .negate(let a), .getAttribute(let a, _), .hasAttribute(let a, _), .like(let a, _),
            .isEmpty(let a):
            collectNames(a, types: &types, uids: &uids)
        case .isType(let a, let type, let other):
            types.append((type, e.span))
            collectNames(a, types: &types, uids: &uids)
            if let other { collectNames(other, types: &types, uids: &uids) }
        case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b):
            collectNames(a, types: &types, uids: &uids)
            collectNames(b, types: &types, uids: &uids)
        case .ifThenElse(let a, let b, let c):
            for x in [a, b, c] { collectNames(x, types: &types, uids: &uids) }
        case .set(let xs), .call(_, let xs):
            for x in xs { collectNames(x, types: &types, uids: &uids) }
        case .record(let fields):
            for f in fields { collectNames(f.value, types: &types, uids: &uids) }
        }
    }

    private func actionHelp(_ uid: EntityUID) -> String? {
        // `Action::"Action::view"` written for `Action::"view"`, or the other way round.
        let withType = "Action::\(uid.id)", withQuotedType = "Action::\"\(uid.id)\""
        if let meant = schema.sortedActions.first(where: { $0.id.contains(withType) || $0.id.contains(withQuotedType) }) {
            return "did you intend to include the type in action `\(meant)`?"
        }
        let suggestion = suggester.suggest(uid.description, among: schema.sortedActions.map(\.description), scope: "actions")
        return suggestion.map { "did you mean `\($0)`?" }
    }

    /// `invalid_action_application` when no action the scope allows applies to a
    /// principal type and a resource type the scope allows.
    func actionApplicationErrors(_ policy: Policy) -> [ValidationDiagnostic] {
        let actions = actionsSatisfying(policy.action).compactMap { schema.actions[$0] }
        let principals = typesSatisfying(policy.principal)
        let resources = typesSatisfying(policy.resource)
        let applies = actions.contains { action in
            !principals.isDisjoint(with: action.principalTypes) && !resources.isDisjoint(with: action.resourceTypes)
        }
        if applies { return [] }
        return [
            .invalidActionApplication(
                policy.id, policy.span,
                fixPrincipal: inWouldFix(policy.principal, actions.map(\.principalTypes)),
                fixResource: inWouldFix(policy.resource, actions.map(\.resourceTypes)))
        ]
    }

    private func actionsSatisfying(_ constraint: ActionConstraint) -> [EntityUID] {
        switch constraint {
        case .any: return schema.sortedActions
        case .equal(let uid): return [uid]
        case .in(let uid): return schema.actionsIn([uid]).map { $0.sorted() } ?? []
        case .inSet(let uids): return schema.actionsIn(uids).map { $0.sorted() } ?? []
        }
    }

    /// The declared entity types a principal or resource constraint allows.
    private func typesSatisfying(_ constraint: ScopeConstraint) -> Set<EntityType> {
        switch constraint {
        case .any, .equal(.slot), .in(.slot): return Set(schema.sortedEntityTypes)
        case .equal(.entity(let uid)): return [uid.type]
        case .in(.entity(let uid)): return schema.typesIn(uid.type)
        case .is(let type), .isIn(let type, .slot): return schema.isKnownEntityType(type) ? [type] : []
        case .isIn(let type, .entity(let uid)): return schema.typesIn(uid.type).contains(type) ? [type] : []
        }
    }

    /// Whether `var == E` would allow an applicable type if written `var in E`: no
    /// action applies to `E`'s type, but one applies to a descendant of it.
    private func inWouldFix(_ constraint: ScopeConstraint, _ applicable: [[EntityType]]) -> Bool {
        guard case .equal(.entity(let uid)) = constraint else { return false }
        guard !applicable.contains(where: { $0.contains(uid.type) }) else { return false }
        guard let descendants = schema.entityTypes[uid.type]?.descendants else { return false }
        return applicable.contains { types in types.contains { descendants.contains($0) } }
    }

    /// For a template link: the entity types of the linked entities must be declared.
    func slotErrors(_ link: TemplateLink) -> [ValidationDiagnostic] {
        link.values.sorted { $0.key.rawValue < $1.key.rawValue }.compactMap { _, uid in
            guard !schema.isKnownEntityType(uid.type) else { return nil }
            let suggestion = suggester.suggest(uid.type.name, among: schema.sortedEntityTypes.map(\.name), scope: "types")
            return .unrecognizedEntityType(link.newID, nil, uid.type, suggestion: suggestion)
        }
    }
}
