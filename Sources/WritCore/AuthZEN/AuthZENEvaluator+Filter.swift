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
    /// `maxCandidates` is `.tooLarge` (413). With `naming`, each result carries its
    /// request and the candidate as sent, for its audit record.
    func filter(_ body: AuthZENObject, maxCandidates: Int, naming: Bool = true) throws(WritError) -> Filtered {
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
        // The candidates' paths share their head.
        let firstCandidate = body.path.appending("resources").appending(index: 0)
        // Candidates mostly share one type: its Cedar type is looked up once per run.
        var lastType: (name: String, cedar: EntityType)?
        for (index, item) in items.enumerated() {
            let path = firstCandidate.element(index)
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
                sent: naming
                    ? AuthZENEvaluationInput(subject: subject, action: actionName, resource: candidate, context: contextObject)
                    : nil))
        }
        // About an agent, the candidates are decided together in its task; otherwise the
        // request's shape is validated once per resource type.
        var shapes = RequestShapes(engine)
        var results = principal.type == BaseSchema.agentType
            ? tasks.decide(batch: prepared, engine: engine) : prepared.map { decide($0, shapes: &shapes) }
        name(&results, prepared)
        return Filtered(candidates: candidates, answer: Answer(results: results, semantic: nil))
    }

    /// The response to a filter: `{"allowed": [{type, id, decision_id?, obligations?}],
    /// "denied": [{type, id, decision_id?, reason, message?, evaluation_id?,
    /// access_request?}], "context": {policy_set_version, mode}}`, both lists in the
    /// order of the request's candidates; `decision_id` when decisions are audited.
    /// Written straight to bytes, as `JSON.encodedBytes` would write that tree.
    func render(_ filtered: Filtered) -> AuthZENOutcome {
        // Read through buffer pointers, in place: an element read through an array's
        // subscript, or the arrays iterated, is copied (every field of every result retained).
        filtered.answer.results.withUnsafeBufferPointer { results in
            filtered.candidates.withUnsafeBufferPointer { candidates in
                render(results, candidates)
            }
        }
    }

    /// Reads only stored fields of the results and candidates: a value handed to a
    /// function or a computed property whole is copied out of the buffer first.
    private func render(
        _ results: UnsafeBufferPointer<Result>, _ candidates: UnsafeBufferPointer<AuthZENEntity>
    ) -> AuthZENOutcome {
        let count = min(results.count, candidates.count)
        var writer = JSONByteWriter(capacity: 48 * results.count + 96)
        var decisions: [Bool] = []
        decisions.reserveCapacity(count)
        writer.append(#"{"allowed":["#)
        var first = true
        for index in 0..<count {
            // `Result.allowed`, from the fields.
            let allowed = results[index].denial == nil && results[index].decision?.allowed == true
            decisions.append(allowed)
            guard allowed else { continue }
            if !first { writer.append(",") }
            first = false
            Self.writeNamed(candidates[index].type, candidates[index].id, results[index].decisionID, to: &writer)
            if let redactions = results[index].decision?.redactions, !redactions.isEmpty {
                writer.append(#","obligations":"#)
                writer.write(AuthZENResponse.obligations(redactions))
            }
            writer.append("}")
        }
        writer.append(#"],"denied":["#)
        first = true
        for index in 0..<count where !decisions[index] {
            if !first { writer.append(",") }
            first = false
            Self.writeNamed(candidates[index].type, candidates[index].id, results[index].decisionID, to: &writer)
            writer.append(#","reason":"#)
            if let denial = results[index].denial {
                writer.writeString(denial.reason.rawValue)
                writer.append(#","message":"#)
                writer.writeString(denial.message)
                if results[index].approval != nil {
                    for member in AuthZENResponse.approvalMembers(results[index]) {
                        writer.append(",")
                        writer.writeString(member.key)
                        writer.append(":")
                        writer.write(member.value)
                    }
                }
            } else if let invalid = results[index].invalidReason {
                writer.writeString(TaskDenial.Reason.invalidRequest.rawValue)
                writer.append(#","message":"#)
                writer.writeString(invalid)
            } else {
                writer.writeString(TaskDenial.Reason.policyDenied.rawValue)
            }
            writer.append("}")
        }
        AuthZENResponse.endList(&writer, engine: engine)
        return AuthZENOutcome(body: writer.output, decisions: decisions)
    }

    /// `{"type":…,"id":…` and `,"decision_id":…` when there is one: the start of a
    /// candidate's entry in a filter response, left open.
    private static func writeNamed(
        _ type: String, _ id: String?, _ decisionID: String?, to writer: inout JSONByteWriter
    ) {
        writer.append(#"{"type":"#)
        writer.writeString(type)
        writer.append(#","id":"#)
        writer.writeString(id ?? "")
        if let decisionID {
            writer.append(#","decision_id":"#)
            writer.writeString(decisionID)
        }
    }
}
