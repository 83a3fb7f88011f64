import Cedar

/// The Search APIs, answered by the engine: every candidate is authorized exactly as
/// an evaluation naming it would be, and the permitted ones are the results.
///
/// - Subject and resource search: the candidates are the stored entities of the
///   searched type (the mapped Cedar type of its `type`; its `id` and properties are
///   ignored).
/// - Action search: with a schema, the actions that apply to the subject's and the
///   resource's types; without one, every action a policy scope names plus the action
///   entities. Each is answered under every AuthZEN name that maps to it.
///
/// Results are in Unicode scalar order of the Cedar uid (then name), the same on
/// every call, which is what makes offsets into them stable pages.
extension AuthZENEvaluator {
    /// Runs a search and returns every result, in order.
    func searchResults(_ operation: AuthZENOperation, _ body: AuthZENObject) throws(WritError) -> [JSON] {
        switch operation {
        case .subjectSearch: try entitySearch(body, searchingSubjects: true)
        case .resourceSearch: try entitySearch(body, searchingSubjects: false)
        case .actionSearch: try actionSearch(body)
        case .evaluation, .evaluations: []
        }
    }

    /// Subject search (`searchingSubjects`) or resource search: the searched member
    /// gives only a type; the other is an entity as in an evaluation.
    private func entitySearch(_ body: AuthZENObject, searchingSubjects: Bool) throws(WritError) -> [JSON] {
        func read(_ key: String, searched: Bool) throws(WritError) -> AuthZENEntity {
            searched
                ? try AuthZENEntity.readSearched(try body.value(key), at: body.path.appending(key))
                : try AuthZENEntity.read(try body.value(key), at: body.path.appending(key), mapping: mapping)
        }
        let subject = try read("subject", searched: searchingSubjects)
        let action = try AuthZENAction.read(try body.value("action"), at: body.path.appending("action"))
        let resource = try read("resource", searched: !searchingSubjects)
        let (searched, given) = searchingSubjects ? (subject, resource) : (resource, subject)
        let type = try cedarType(searched)
        let givenUID = try uid(given)
        let actionUID = mapping.actionUID(for: action.name)
        var layer: [EntityUID: Entity] = [:]
        try describe(givenUID, with: given.properties, into: &layer)
        let principalType = searchingSubjects ? type : givenUID.type
        let (context, token) = try self.context(try body.optionalObject("context"), for: actionUID, principal: principalType)
        var prepared = Prepared(
            request: Request(principal: givenUID, action: actionUID, resource: givenUID, context: context),
            entities: Array(layer.values), taskToken: token)
        var results: [JSON] = []
        for candidate in engine.entities.uids(ofType: type) {
            if searchingSubjects { prepared.request.principal = candidate } else { prepared.request.resource = candidate }
            if decide(prepared).allowed { results.append(Self.entityResult(type: searched.type, id: candidate.id)) }
        }
        return results
    }

    private func actionSearch(_ body: AuthZENObject) throws(WritError) -> [JSON] {
        let subject = try AuthZENEntity.read(try body.value("subject"), at: body.path.appending("subject"), mapping: mapping)
        let resource = try AuthZENEntity.read(
            try body.value("resource"), at: body.path.appending("resource"), mapping: mapping)
        let subjectUID = try uid(subject)
        let resourceUID = try uid(resource)
        var layer: [EntityUID: Entity] = [:]
        try describe(subjectUID, with: subject.properties, into: &layer)
        try describe(resourceUID, with: resource.properties, into: &layer)
        let contextObject = try body.optionalObject("context")
        var results: [JSON] = []
        for action in actionCandidates(principal: subjectUID.type, resource: resourceUID.type) {
            let names = mapping.actionNames(for: action)
            guard !names.isEmpty else { continue }
            let (context, token) = try context(contextObject, for: action, principal: subjectUID.type)
            let request = Request(principal: subjectUID, action: action, resource: resourceUID, context: context)
            guard decide(Prepared(request: request, entities: Array(layer.values), taskToken: token)).allowed else { continue }
            for name in names {
                results.append(.object(JSONObject(uniqueMembers: [(key: "name", value: .string(name))])))
            }
        }
        return results
    }

    /// The actions an action search tries, in uid order.
    private func actionCandidates(principal: EntityType, resource: EntityType) -> [EntityUID] {
        if let schema = engine.schema {
            return schema.actions.values.filter { action in
                action.hasAppliesTo && action.principalTypes.contains(principal)
                    && action.resourceTypes.contains(resource)
            }.map(\.uid).sorted()
        }
        var named: Set<EntityUID> = []
        for policy in engine.compiled.policies.policies {
            switch policy.action {
            case .any: break
            case .equal(let uid), .in(let uid): named.insert(uid)
            case .inSet(let uids): named.formUnion(uids)
            }
        }
        for entity in engine.entities.all where entity.uid.type.isAction { named.insert(entity.uid) }
        return named.sorted()
    }

    /// `{"type": …, "id": …}`, in that order.
    private static func entityResult(type: String, id: String) -> JSON {
        .object(JSONObject(uniqueMembers: [(key: "type", value: .string(type)), (key: "id", value: .string(id))]))
    }
}
