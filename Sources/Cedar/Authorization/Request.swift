/// An authorization request: who (principal) wants to do what (action) to which
/// resource, in what context.
public struct Request: Sendable, Equatable {
    public var principal: EntityUID
    public var action: EntityUID
    public var resource: EntityUID
    public var context: Record

    public init(principal: EntityUID, action: EntityUID, resource: EntityUID, context: Record = Record()) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.context = context
    }
}
