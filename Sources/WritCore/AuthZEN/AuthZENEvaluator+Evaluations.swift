import Cedar

/// The Access Evaluation and Access Evaluations APIs.
extension AuthZENEvaluator {
    /// How a batch proceeds after each decision (`options.evaluations_semantic`).
    enum Semantic: String, Sendable, CaseIterable {
        /// Evaluate every item (the default).
        case executeAll = "execute_all"
        /// Stop after the first deny; it is the last item of the response.
        case denyOnFirstDeny = "deny_on_first_deny"
        /// Stop after the first permit; it is the last item of the response.
        case permitOnFirstPermit = "permit_on_first_permit"

        static func read(_ body: AuthZENObject) throws(WritError) -> Semantic {
            guard let options = try body.optionalObject("options"),
                let name = try options.optionalString("evaluations_semantic")
            else { return .executeAll }
            guard let semantic = Semantic.allCases.first(where: { $0.rawValue.scalarsEqual(name) }) else {
                let known = allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")
                throw WritError(
                    .invalidRequest, "`options.evaluations_semantic` is `\(name)`; expected one of \(known)")
            }
            return semantic
        }

        /// Whether a batch stops after an item with `result`.
        func stops(after result: Result) -> Bool { stops(allowed: result.allowed) }

        /// Whether a batch stops after an item allowed or not.
        func stops(allowed: Bool) -> Bool {
            switch self {
            case .executeAll: false
            case .denyOnFirstDeny: !allowed
            case .permitOnFirstPermit: allowed
            }
        }
    }

    /// Decisions made, not yet rendered: one evaluation, or a batch's items up to where
    /// its semantic stopped. Decisions about agents may still change (to a denial)
    /// when the task service commits them.
    struct Answer: Sendable {
        var results: [Result]
        /// The batch semantic; nil for a single evaluation.
        var semantic: Semantic?
    }

    /// One evaluation: `{"decision": …, "context": {…}}`.
    func evaluation(_ body: AuthZENObject) throws(WritError) -> Answer {
        Answer(results: [decide(try prepare(try AuthZENEvaluationInput.read(body, mapping: mapping)))], semantic: nil)
    }

    /// A batch: each item of `evaluations` takes the top-level `subject`, `action`,
    /// `resource` and `context` for the members it lacks. Every item is read and mapped
    /// before any is decided, so a malformed item fails the whole request (400)
    /// whatever the semantic. Without items this is a single evaluation. Without
    /// `naming`, the results of a batch decided in one pass through a task do not carry
    /// their requests as sent (only an audit record needs them).
    func evaluations(_ body: AuthZENObject, maxItems: Int, naming: Bool = true) throws(WritError) -> Answer {
        let semantic = try Semantic.read(body)
        let items = try body.optionalArray("evaluations") ?? []
        if items.isEmpty { return try evaluation(body) }
        guard items.count <= maxItems else {
            throw WritError(
                .tooLarge, "`evaluations` has \(items.count) items; at most \(maxItems) are accepted in one request")
        }
        let firstItem = body.path.appending("evaluations").appending(index: 0)
        let objects = try items.enumerated().map { (index, item) throws(WritError) in
            try AuthZENObject(item, at: firstItem.element(index))
        }
        let defaults = try Defaults(body, items: objects, mapping: mapping)
        var prepared: [Prepared] = []
        prepared.reserveCapacity(objects.count)
        for item in objects {
            prepared.append(try prepare(try defaults.input(for: item, mapping: mapping)))
        }
        if prepared.count > 1, Self.aboutOneAgentTask(prepared) {
            // Decided in one pass through the task, exactly as one by one (FilterBatchTests).
            var results = tasks.decide(batch: prepared, engine: engine, semantic: semantic)
            if naming { name(&results, prepared) }
            return Answer(results: results, semantic: semantic)
        }
        var results: [Result] = []
        for request in prepared {
            let result = decide(request)
            results.append(result)
            if semantic.stops(after: result) { break }
        }
        return Answer(results: results, semantic: semantic)
    }

    /// Whether `prepared` are about one agent, with one task credential, and differ
    /// only in their resources (and the entities they describe): then they are decided
    /// together in the agent's task, as a filter's candidates are.
    private static func aboutOneAgentTask(_ prepared: [Prepared]) -> Bool {
        guard let first = prepared.first, first.request.principal.type == BaseSchema.agentType else { return false }
        func sameToken(_ a: String?, _ b: String?) -> Bool {
            switch (a, b) {
            case (nil, nil): true
            case (let a?, let b?): a.utf8.elementsEqual(b.utf8)
            default: false
            }
        }
        return prepared.dropFirst().allSatisfy { item in
            item.request.principal == first.request.principal && item.request.action == first.request.action
                && item.request.context == first.request.context && sameToken(item.taskToken, first.taskToken)
        }
    }

    /// The response to `answer`. A batch ends at the first item its semantic stops
    /// after — which, once task decisions are committed, may come earlier than where
    /// deciding stopped (an allow that could not be recorded became a deny).
    func render(_ answer: Answer) -> AuthZENOutcome {
        guard let semantic = answer.semantic else {
            let result = answer.results.first ?? Result(decision: nil, invalidReason: "no evaluation")
            return AuthZENOutcome(body: AuthZENResponse.decision(result, engine: engine), decisions: [result.allowed])
        }
        // Written straight to bytes, as `JSON.encodedBytes` would write the tree of
        // `AuthZENResponse.item(_:extra:)`s: most items are exactly `{"decision": bool}`.
        // Read in place: an element read through an array's subscript, or handed whole
        // to a function or a computed property, is copied.
        return answer.results.withUnsafeBufferPointer { results in
            var writer = JSONByteWriter(capacity: 20 * results.count + 96)
            var decisions: [Bool] = []
            decisions.reserveCapacity(results.count)
            writer.append(#"{"evaluations":["#)
            for index in results.indices {
                // `Result.allowed`, from the fields.
                let allowed = results[index].denial == nil && results[index].decision?.allowed == true
                decisions.append(allowed)
                if index > 0 { writer.append(",") }
                // As the specification's example answers the item that stopped the batch.
                let stopping = semantic == .denyOnFirstDeny && !allowed
                if !stopping, AuthZENResponse.reportsNothing(results, index) {
                    writer.append(allowed ? #"{"decision":true}"# : #"{"decision":false}"#)
                } else {
                    writer.write(AuthZENResponse.item(results[index], extra: stopping ? [
                        (key: "code", value: .string("200")), (key: "reason", value: .string(semantic.rawValue)),
                    ] : []))
                }
                if semantic.stops(allowed: allowed) { break }
            }
            AuthZENResponse.endList(&writer, engine: engine)
            return AuthZENOutcome(body: writer.output, decisions: decisions)
        }
    }

    /// The top-level defaults of a batch, read only when some item lacks the member.
    private struct Defaults {
        var subject: AuthZENEntity?
        var action: AuthZENAction?
        var resource: AuthZENEntity?
        var context: AuthZENObject?

        init(_ body: AuthZENObject, items: [AuthZENObject], mapping: AuthZENMapping) throws(WritError) {
            func needed(_ key: String) -> JSON? {
                items.contains { !$0.has(key) } ? body[key] : nil
            }
            subject = try needed("subject").map { json throws(WritError) in
                try AuthZENEntity.read(json, at: body.path.appending("subject"), mapping: mapping)
            }
            action = try needed("action").map { json throws(WritError) in
                try AuthZENAction.read(json, at: body.path.appending("action"))
            }
            resource = try needed("resource").map { json throws(WritError) in
                try AuthZENEntity.read(json, at: body.path.appending("resource"), mapping: mapping)
            }
            context = try needed("context").map { json throws(WritError) in
                try AuthZENObject(json, at: body.path.appending("context"))
            }
        }

        /// The evaluation `item` asks for: its own members, else these defaults.
        func input(for item: AuthZENObject, mapping: AuthZENMapping) throws(WritError) -> AuthZENEvaluationInput {
            func missing(_ key: String) -> WritError {
                WritError(
                    .missingField,
                    "missing required member `\(item.path.appending(key))`, and the request has no top-level `\(key)`")
            }
            let subject = try item["subject"].map { json throws(WritError) in
                try AuthZENEntity.read(json, at: item.path.appending("subject"), mapping: mapping)
            } ?? self.subject
            let action = try item["action"].map { json throws(WritError) in
                try AuthZENAction.read(json, at: item.path.appending("action"))
            } ?? self.action
            let resource = try item["resource"].map { json throws(WritError) in
                try AuthZENEntity.read(json, at: item.path.appending("resource"), mapping: mapping)
            } ?? self.resource
            guard let subject else { throw missing("subject") }
            guard let action else { throw missing("action") }
            guard let resource else { throw missing("resource") }
            return AuthZENEvaluationInput(
                subject: subject, action: action, resource: resource,
                context: try item.optionalObject("context") ?? self.context)
        }
    }
}
