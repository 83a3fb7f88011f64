import Cedar

/// Turns AuthZEN evaluations into Cedar requests and decides them, all against one
/// engine snapshot, so a batch or a search sees exactly one policy set version.
///
/// Requests whose principal is a `Writ::Agent` are decided inside the task their
/// credential names, through `tasks`.
struct AuthZENEvaluator: Sendable {
    let engine: PolicyEngine
    let mapping: AuthZENMapping
    let values: AuthZENValueReader
    let tasks: AuthZENTasks

    init(engine: PolicyEngine, mapping: AuthZENMapping, tasks: AuthZENTasks) {
        self.engine = engine
        self.mapping = mapping
        self.values = AuthZENValueReader(schema: engine.schema)
        self.tasks = tasks
    }

    /// A Cedar request ready to decide, with the entities the request describes.
    struct Prepared: Sendable {
        var request: Request
        var entities: [Entity]
        /// The task credential in the request's `context.task_token`, if any.
        var taskToken: String?
        /// The request as sent, for its audit record; nil for searches.
        var sent: AuthZENEvaluationInput? = nil
    }

    /// The outcome of one evaluation.
    struct Result: Sendable {
        /// The engine's decision; nil when the request was not valid under the schema
        /// and was denied without evaluation.
        var decision: WritDecision?
        /// Why the request was not evaluated: an undeclared type or action, an action
        /// that does not apply to these types, a context the action does not accept.
        var invalidReason: String?
        /// For a request about an agent: why it was denied in its task.
        var denial: TaskDenial?
        /// For a request about an agent: its place in `tasks.evaluations`.
        var taskEvaluation: Int?
        /// Denied only by approvable forbids: the approval it needs.
        var ask: ApprovalAsk?
        /// Allowed by a person's approval: the approval (a single-use one is consumed
        /// before the decision is final).
        var grant: ApprovalRecord?
        /// The approval answering `ask`, once asked for or found.
        var approval: ApprovalRecord?
        /// The Cedar request decided (its principal, action and resource), for the audit record.
        var request: Request?
        /// The request as sent, for the audit record; nil for searches.
        var sent: AuthZENEvaluationInput?
        /// The task a credential named for the request, once verified.
        var taskID: String?
        /// The id of the decision's audit record, when decisions are recorded.
        var decisionID: String?
        var allowed: Bool { denial == nil && (decision?.allowed ?? false) }
    }

    // MARK: - Mapping

    /// Maps `input` to a Cedar request; bad identifiers and values are request errors.
    func prepare(_ input: AuthZENEvaluationInput) throws(WritError) -> Prepared {
        let principal = try uid(input.subject)
        let resource = try uid(input.resource)
        let action = mapping.actionUID(for: input.action.name)
        var layer: [EntityUID: Entity] = [:]
        try describe(principal, with: input.subject.properties, into: &layer)
        try describe(resource, with: input.resource.properties, into: &layer)
        let (context, token) = try self.context(input.context, for: action, principal: principal.type)
        return Prepared(
            request: Request(principal: principal, action: action, resource: resource, context: context),
            entities: Array(layer.values), taskToken: token, sent: input)
    }

    /// The Cedar uid of a subject or resource that names one entity.
    func uid(_ entity: AuthZENEntity) throws(WritError) -> EntityUID {
        EntityUID(type: try cedarType(entity), id: entity.id ?? "")
    }

    /// The Cedar entity type of a subject or resource.
    func cedarType(_ entity: AuthZENEntity) throws(WritError) -> EntityType {
        guard let type = mapping.cedarType(for: entity.type) else {
            throw WritError(
                .invalidIdentifier,
                "`\(entity.path.appending("type"))` is `\(entity.type)`, which does not map to a Cedar entity type "
                    + "name; map it in the `entityTypes` of the AuthZEN mapping")
        }
        return type
    }

    /// Adds to `layer` the entity `uid` as the request describes it: its stored
    /// attributes merged with `properties` under the mapping's property policy. Adds
    /// nothing when the properties change nothing, so the stored entity is used as is.
    func describe(_ uid: EntityUID, with properties: [AuthZENProperty], into layer: inout [EntityUID: Entity]) throws(WritError) {
        guard mapping.propertyPolicy != .ignore, !properties.isEmpty else { return }
        let attributes = try values.attributes(properties, of: uid.type)
        guard !attributes.isEmpty else { return }
        guard let base = layer[uid] ?? engine.entities[uid] else {
            layer[uid] = Entity(uid: uid, attributes: Record(attributes))
            return
        }
        var fields = base.attributes.fields.map { ($0.key, $0.value) }
        var changed = false
        for (name, value) in attributes {
            if let stored = base.attributes[name] {
                guard mapping.propertyPolicy == .override, stored != value else { continue }
            }
            fields.append((name, value))  // a later field of the same name wins
            changed = true
        }
        guard changed else { return }
        layer[uid] = Entity(uid: uid, attributes: Record(fields), parents: base.parents, tags: base.tags)
    }

    /// The context record for `action` (see `AuthZENValueReader.context(_:for:)`) and
    /// the task credential in its `task_token` member. `task_token` never reaches
    /// Cedar; nor, for an agent principal, does `task`, which Writ builds.
    func context(
        _ object: AuthZENObject?, for action: EntityUID, principal: EntityType
    ) throws(WritError) -> (record: Record, taskToken: String?) {
        guard let object else { return (Record(), nil) }
        let token = try object.optionalString(AuthZENTasks.tokenMember)
        let dropped = principal == BaseSchema.agentType ? [AuthZENTasks.tokenMember, "task"] : [AuthZENTasks.tokenMember]
        return (try values.context(object.removing(dropped), for: action), token)
    }

    // MARK: - Deciding

    /// Decides a prepared request: denied without evaluation when the schema says the
    /// request is not valid, otherwise as the engine decides. The result names the
    /// request, for its audit record.
    func decide(_ prepared: Prepared) -> Result {
        named(decideRequest(prepared), prepared)
    }

    /// `result`, naming the request it answers when `prepared` carries the request as
    /// sent (for its audit record).
    func named(_ result: Result, _ prepared: Prepared) -> Result {
        var result = result
        name(&result, prepared)
        return result
    }

    /// `named(_:_:)` in place, for many results (a batch's), none copied.
    func name(_ result: inout Result, _ prepared: borrowing Prepared) {
        guard prepared.sent != nil else { return }
        result.request = prepared.request
        result.sent = prepared.sent
    }

    /// Names `results[i]` by `prepared[i]` (`named(_:_:)`), in place: a batch's
    /// results are not copied (a copy retains every field of every result).
    func name(_ results: inout [Result], _ prepared: [Prepared]) {
        // Read through a buffer pointer: `prepared[index]` copies the element.
        prepared.withUnsafeBufferPointer { prepared in
            // Only results whose request was kept as sent are named (those with an audit
            // log): for the others the prepared request is not even read.
            for index in results.indices where prepared[index].sent != nil {
                results[index].request = prepared[index].request
                results[index].sent = prepared[index].sent
            }
        }
    }

    private func decideRequest(_ prepared: Prepared) -> Result {
        if prepared.request.principal.type == BaseSchema.agentType {
            return tasks.decide(prepared, engine: engine)
        }
        var shapes = RequestShapes(engine)
        return decide(prepared, shapes: &shapes)
    }

    /// Decides a prepared request about a principal that is not an agent, validating
    /// it with `shapes` (which remembers the shapes already validated whole).
    func decide(_ prepared: Prepared, shapes: inout RequestShapes) -> Result {
        if let problem = shapes.problem(prepared.request, labelled: false) {
            return Result(decision: nil, invalidReason: problem)
        }
        let entities = engine.entities(layering: prepared.entities)
        if let denial = engine.inventoryDenial(prepared.request, entities: entities) {
            return Result(decision: nil, invalidReason: nil, denial: denial)
        }
        let decision = engine.decide(prepared.request, entities: entities, policies: engine.compiled)
        guard let need = decision.approval, !decision.allowed else { return Result(decision: decision, invalidReason: nil) }
        let ask = ApprovalAsk(prepared.request, taskID: nil, need: need)
        if let grant = tasks.grant(for: prepared.request, taskID: nil) {
            return Result(decision: decision.approved(), invalidReason: nil, ask: ask, grant: grant)
        }
        return Result(
            decision: decision, invalidReason: nil,
            denial: TaskDenial(.approvalRequired, "a person must approve this exact request"), ask: ask)
    }
}
