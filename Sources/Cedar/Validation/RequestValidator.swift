/// Request validation (`Schema.validate(_:)`) with what each action accepts worked out
/// once per schema: compile once, validate many.
///
/// For each action the validator knows the principal and resource types it applies to
/// that are declared and not enumerated (so any id of them is valid). A request of such
/// a shape is checked by two set lookups and its context alone — with no context
/// attribute required, an empty context needs no check at all. Every other request is
/// validated by `Schema.validate(_:)` itself, so each problem is found and named
/// exactly as there: this only ever accepts requests `validate(_:)` accepts.
public struct RequestValidator: Sendable {
    /// The schema requests are validated against.
    public let schema: Schema
    private let shapes: [EntityUID: ActionShape]

    /// What one action accepts.
    private struct ActionShape: Sendable {
        /// The principal types the action applies to that are declared and not enumerated.
        var principalTypes: Set<EntityType>
        /// The same for resources.
        var resourceTypes: Set<EntityType>
        /// The context type the action declares.
        var context: RecordSchema
        /// Whether the context type requires no attribute, so the empty record has it.
        var acceptsEmptyContext: Bool
    }

    /// A validator for `schema`; builds every action's shape.
    public init(schema: Schema) {
        self.schema = schema
        func anyID(_ types: [EntityType]) -> Set<EntityType> {
            Set(types.filter { type in schema.entityTypes[type].map { $0.enumValues == nil } ?? false })
        }
        shapes = schema.actions.mapValues { action in
            ActionShape(
                principalTypes: anyID(action.principalTypes), resourceTypes: anyID(action.resourceTypes),
                context: action.context, acceptsEmptyContext: !action.context.attributes.contains(where: \.isRequired))
        }
    }

    /// Checks `request` exactly as `Schema.validate(_:)` does, throwing the same error
    /// for an invalid request.
    public func validate(_ request: Request) throws(RequestValidationError) {
        if let shape = shapes[request.action], shape.principalTypes.contains(request.principal.type),
            shape.resourceTypes.contains(request.resource.type), contextIsValid(request.context, for: shape)
        {
            return
        }
        try schema.validate(request)
    }

    /// The context checks of `Schema.validate(_:)`: only declared actions and listed
    /// ids of enumerated types named, and the action's context type.
    private func contextIsValid(_ context: Record, for shape: ActionShape) -> Bool {
        if context.isEmpty { return shape.acceptsEmptyContext }
        return schema.firstReferenceProblem(in: .record(context)) == nil && shape.context.mismatch(with: context) == nil
    }
}
