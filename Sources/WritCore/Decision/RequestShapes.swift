import Cedar

/// Validation of one request for many resources (a filter's candidates), which share
/// the principal, the action and the context: whole for the first candidate of each
/// shape, for the others only the ids (`Schema.validateEntityIDs(of:)`), and only when
/// the principal's or the resource's type is enumerated. The shape is the principal
/// and resource types and, inside a task, whether `context.task.labels` is empty: the
/// rest of `context.task` keeps its types whatever the counters, and the empty set is
/// the one value whose validity can differ from a set of strings'. A candidate that
/// fails is not remembered, so each failure is found and named by
/// `Schema.validate(_:)` itself (through `RequestValidator`, which only ever accepts
/// what it accepts).
struct RequestShapes {
    let validator: RequestValidator?
    /// The shapes validated whole, and whether a request of each has ids to check:
    /// those of an enumerated principal or resource type. The first apart, so that one
    /// shape needs no table.
    private var first: (shape: Shape, enumerated: Bool)?
    private var more: [Shape: Bool] = [:]

    private struct Shape: Hashable {
        var principal: EntityType
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
        let shape = Shape(principal: request.principal.type, resource: request.resource.type, labelled: labelled)
        do throws(RequestValidationError) {
            if let enumerated = first?.shape == shape ? first?.enumerated : more[shape] {
                if enumerated { try validator.schema.validateEntityIDs(of: request) }
            } else {
                try validator.validate(request)
                let schema = validator.schema
                let enumerated = schema.isEnumerated(shape.principal) || schema.isEnumerated(shape.resource)
                if first == nil { first = (shape, enumerated) } else { more[shape] = enumerated }
            }
            return nil
        } catch {
            return error.message
        }
    }
}
