/// Why a request is not valid under a schema.
public struct RequestValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of error this is; stable across releases.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The stable name, e.g. `invalid_context`.
        public let rawValue: String
        /// A code from its stable name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The stable name.
        public var description: String { rawValue }

        /// The principal's type is not declared in the schema.
        public static let undeclaredPrincipalType = Code(rawValue: "undeclared_principal_type")
        /// The resource's type is not declared in the schema.
        public static let undeclaredResourceType = Code(rawValue: "undeclared_resource_type")
        /// The action, or an action named in the context, is not declared in the schema.
        public static let undeclaredAction = Code(rawValue: "undeclared_action")
        /// The action does not apply to principals of this type.
        public static let invalidPrincipalType = Code(rawValue: "invalid_principal_type")
        /// The action does not apply to resources of this type.
        public static let invalidResourceType = Code(rawValue: "invalid_resource_type")
        /// An entity of an enumerated type (the principal, the resource, or one in the
        /// context) has an id the type does not list.
        public static let invalidEnumEntity = Code(rawValue: "invalid_enum_entity")
        /// The context does not have the type the schema declares for the action.
        public static let invalidContext = Code(rawValue: "invalid_context")
    }

    /// What kind of error this is.
    public let code: Code
    /// A lowercase message naming the offending part of the request in backticks.
    public let message: String

    /// An error with its code and message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

extension Schema {
    /// Checks `request` as Rust Cedar does before authorizing a request built with a
    /// schema: the principal and resource types are declared (and, for enumerated
    /// types, the ids listed); the action is declared and applies to them; and the
    /// context has the action's context type, naming only declared actions and listed
    /// ids of enumerated types. The first problem found is thrown, in that order.
    public func validate(_ request: Request) throws(RequestValidationError) {
        try checkScopeEntity(request.principal, role: "principal", undeclared: .undeclaredPrincipalType)
        try checkScopeEntity(request.resource, role: "resource", undeclared: .undeclaredResourceType)
        let action = request.action
        guard let declaration = actions[action] else {
            throw RequestValidationError(
                .undeclaredAction, "request's action `\(action)` is not declared in the schema")
        }
        if !declaration.principalTypes.contains(request.principal.type) {
            throw RequestValidationError(
                .invalidPrincipalType,
                "principal type `\(request.principal.type)` is not valid for `\(action)`"
                    + Self.validTypes(declaration.principalTypes, role: "principals"))
        }
        if !declaration.resourceTypes.contains(request.resource.type) {
            throw RequestValidationError(
                .invalidResourceType,
                "resource type `\(request.resource.type)` is not valid for `\(action)`"
                    + Self.validTypes(declaration.resourceTypes, role: "resources"))
        }
        if let problem = firstReferenceProblem(in: .record(request.context)) {
            throw RequestValidationError(
                problem.code == .invalidEnumEntity ? .invalidEnumEntity : .undeclaredAction, problem.message)
        }
        if let mismatch = declaration.context.mismatch(with: request.context) {
            let place = mismatch.steps.isEmpty ? "" : "in `\(mismatch.location(from: "context"))`, "
            throw RequestValidationError(
                .invalidContext, "context is not valid for `\(action)`: \(place)\(mismatch.problemText)")
        }
    }

    /// The part of `validate(_:)` that depends on the ids of the principal and the
    /// resource: for an enumerated type, that it lists the id. For a request whose
    /// principal and resource types, action and context types are those of a request
    /// `validate(_:)` accepted, this throws exactly what `validate(_:)` would — so a
    /// caller deciding one request for many resources of one type validates the first
    /// whole and the rest with this.
    public func validateEntityIDs(of request: Request) throws(RequestValidationError) {
        if let problem = enumeratedIDProblem(request.principal) ?? enumeratedIDProblem(request.resource) {
            throw RequestValidationError(.invalidEnumEntity, problem.message)
        }
    }

    /// Checks that the principal's or resource's type is declared and, if enumerated,
    /// lists its id.
    private func checkScopeEntity(
        _ uid: EntityUID, role: String, undeclared: RequestValidationError.Code
    ) throws(RequestValidationError) {
        guard entityTypes[uid.type] != nil else {
            throw RequestValidationError(undeclared, "\(role) type `\(uid.type)` is not declared in the schema")
        }
        if let problem = enumeratedIDProblem(uid) {
            throw RequestValidationError(.invalidEnumEntity, problem.message)
        }
    }

    /// "; valid principal types: `User`, `Admin`", or that the action applies to none.
    private static func validTypes(_ types: [EntityType], role: String) -> String {
        guard !types.isEmpty else { return "; the action applies to no \(role)" }
        let shown = types.sorted().prefix(5).map { "`\($0)`" }.joined(separator: ", ")
        return "; it applies to \(role) of type \(shown)\(types.count > 5 ? ", ..." : "")"
    }
}
