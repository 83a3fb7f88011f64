import Cedar

/// Validation of one request for many resources (a filter's candidates), which share
/// the principal, the action and the context: whole for the first candidate of each
/// shape, only the ids (`Schema.validateEntityIDs(of:)`) for the others. The shape is
/// the resource type and, inside a task, whether `context.task.labels` is empty: the
/// rest of `context.task` keeps its types whatever the counters, and the empty set is
/// the one value whose validity can differ from a set of strings'. A candidate that
/// fails is not remembered, so each failure is found and named by
/// `Schema.validate(_:)` itself (through `RequestValidator`, which only ever accepts
/// what it accepts).
struct RequestShapes {
    let validator: RequestValidator?
    /// The shapes validated whole: the first apart, so that one shape needs no set.
    private var first: Shape?
    private var more: Set<Shape> = []

    private struct Shape: Hashable {
        var resource: EntityType
        var labelled: Bool
    }

    /// Shapes validated with `engine`'s request validator.
    init(_ engine: PolicyEngine) {
        self.validator = engine.requestValidator
    }

    /// Why `request` is not valid under the schema, or nil when it is.
    mutating func problem(_ request: Request, labelled: Bool) -> String? {
        guard let validator else { return nil }
        let shape = Shape(resource: request.resource.type, labelled: labelled)
        do throws(RequestValidationError) {
            if first == shape || more.contains(shape) {
                try validator.schema.validateEntityIDs(of: request)
            } else {
                try validator.validate(request)
                if first == nil { first = shape } else { more.insert(shape) }
            }
            return nil
        } catch {
            return error.message
        }
    }
}
