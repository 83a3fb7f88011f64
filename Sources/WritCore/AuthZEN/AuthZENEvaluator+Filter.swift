import Cedar

/// Retrieval filtering (`POST /v1/filter`): one subject, action and context, and N
/// candidate resources; the answer is the subset allowed. docs/CHECKPOINTS.md
/// describes the request and the response.
extension AuthZENEvaluator {
    /// The candidates of a filter request, as the request named them, and their results.
    struct Filtered: Sendable {
        var candidates: [AuthZENEntity]
        var answer: Answer
    }

    /// Reads and decides a filter request. The subject, the action and the context
    /// are read and mapped once, for all candidates; every candidate is read and
    /// checked before any is decided, so one malformed candidate, or the same
    /// `type` and `id` twice, fails the whole request (400). More than
    /// `maxCandidates` is `.tooLarge` (413).
    func filter(_ body: AuthZENObject, maxCandidates: Int) throws(WritError) -> Filtered {
        let subject = try AuthZENEntity.read(try body.value("subject"), at: body.path.appending("subject"), mapping: mapping)
        let actionName = try AuthZENAction.read(try body.value("action"), at: body.path.appending("action"))
        guard let items = try body.optionalArray("resources") else {
            throw AuthZENObject.missing(body.path.appending("resources"))
        }
        guard items.count <= maxCandidates else {
            throw WritError(
                .tooLarge,
                "`resources` has \(items.count) candidates; at most \(maxCandidates) are accepted in one request")
        }
        let principal = try uid(subject)
        let action = mapping.actionUID(for: actionName.name)
        var shared: [EntityUID: Entity] = [:]
        try describe(principal, with: subject.properties, into: &shared)
        let contextObject = try body.optionalObject("context")
        let (context, token) = try self.context(contextObject, for: action, principal: principal.type)

        var candidates: [AuthZENEntity] = []
        var prepared: [Prepared] = []
        var seen: [EntityUID: Int] = [:]
        candidates.reserveCapacity(items.count)
        prepared.reserveCapacity(items.count)
        seen.reserveCapacity(items.count)
        let resources = body.path.appending("resources")
        // Candidates mostly share one type: its Cedar type is looked up once per run.
        var lastType: (name: String, cedar: EntityType)?
        for (index, item) in items.enumerated() {
            let path = resources.appending(index: index)
            let candidate = try AuthZENEntity.read(item, at: path, mapping: mapping)
            let type: EntityType
            if let last = lastType, last.name.scalarsEqual(candidate.type) {
                type = last.cedar
            } else {
                type = try cedarType(candidate)
                lastType = (candidate.type, type)
            }
            let resource = EntityUID(type: type, id: candidate.id ?? "")
            if let first = seen.updateValue(index, forKey: resource) {
                throw WritError(
                    .invalidRequest,
                    "`\(path)` is `\(candidate.type)` `\(candidate.id ?? "")` again (first at `resources[\(first)]`); "
                        + "name each candidate once")
            }
            var layer = shared
            try describe(resource, with: candidate.properties, into: &layer)
            candidates.append(candidate)
            prepared.append(Prepared(
                request: Request(principal: principal, action: action, resource: resource, context: context),
                entities: layer.isEmpty ? [] : Array(layer.values), taskToken: token,
                sent: AuthZENEvaluationInput(subject: subject, action: actionName, resource: candidate, context: contextObject)))
        }
        // About an agent, the candidates are decided together in its task; otherwise the
        // request's shape is validated once per resource type.
        var shapes = RequestShapes(engine)
        let results = principal.type == BaseSchema.agentType
            ? tasks.decide(batch: prepared, engine: engine) : prepared.map { decide($0, shapes: &shapes) }
        return Filtered(candidates: candidates, answer: Answer(results: named(results, prepared), semantic: nil))
    }

    /// The response to a filter: `{"allowed": [{type, id, decision_id?, obligations?}],
    /// "denied": [{type, id, decision_id?, reason, message?, evaluation_id?,
    /// access_request?}], "context": {policy_set_version, mode}}`, both lists in the
    /// order of the request's candidates; `decision_id` when decisions are audited.
    func render(_ filtered: Filtered) -> AuthZENOutcome {
        var allowed: [JSON] = []
        var denied: [JSON] = []
        var decisions: [Bool] = []
        decisions.reserveCapacity(filtered.candidates.count)
        for (candidate, result) in zip(filtered.candidates, filtered.answer.results) {
            var members: [(key: String, value: JSON)] = [
                (key: "type", value: .string(candidate.type)), (key: "id", value: .string(candidate.id ?? "")),
            ]
            decisions.append(result.allowed)
            if let id = result.decisionID { members.append((key: "decision_id", value: .string(id))) }
            if result.allowed {
                if let redactions = result.decision?.redactions, !redactions.isEmpty {
                    members.append((key: "obligations", value: AuthZENResponse.obligations(redactions)))
                }
                allowed.append(.object(JSONObject(uniqueMembers: members)))
                continue
            }
            if let denial = result.denial {
                members.append((key: "reason", value: .string(denial.reason.rawValue)))
                members.append((key: "message", value: .string(denial.message)))
                members += AuthZENResponse.approvalMembers(result)
            } else if let invalid = result.invalidReason {
                members.append((key: "reason", value: .string(TaskDenial.Reason.invalidRequest.rawValue)))
                members.append((key: "message", value: .string(invalid)))
            } else {
                members.append((key: "reason", value: .string(TaskDenial.Reason.policyDenied.rawValue)))
            }
            denied.append(.object(JSONObject(uniqueMembers: members)))
        }
        let response = JSON.object(JSONObject(uniqueMembers: [
            (key: "allowed", value: .array(allowed)),
            (key: "denied", value: .array(denied)),
            (key: "context", value: .object(JSONObject(uniqueMembers: AuthZENResponse.versionMembers(engine)))),
        ]))
        return AuthZENOutcome(body: response.encodedBytes(), decisions: decisions)
    }
}
