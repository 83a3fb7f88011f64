/// A policy's id: `policy0`, or an id given when the policy was added or linked.
public typealias PolicyID = String

/// Whether a policy permits or forbids.
public enum Effect: String, Sendable, Equatable {
    case permit, forbid
}

/// A Cedar policy or template.
public struct Policy: Sendable, Equatable {
    public var id: PolicyID
    public var effect: Effect
    public var principal: ScopeConstraint
    public var action: ActionConstraint
    public var resource: ScopeConstraint
    /// The `when` and `unless` clauses, in source order.
    public var conditions: [Condition]
    /// Annotations in source order; keys are unique.
    public var annotations: [Annotation]
    /// Where the policy starts and ends in its source text.
    public var span: SourceSpan?

    public init(
        id: PolicyID, effect: Effect,
        principal: ScopeConstraint = .any, action: ActionConstraint = .any, resource: ScopeConstraint = .any,
        conditions: [Condition] = [], annotations: [Annotation] = [], span: SourceSpan? = nil
    ) {
        self.id = id
        self.effect = effect
        self.principal = principal
        self.action = action
        self.resource = resource
        self.conditions = conditions
        self.annotations = annotations
        self.span = span
    }

    /// Equality ignores spans.
    public static func == (lhs: Policy, rhs: Policy) -> Bool {
        lhs.id == rhs.id && lhs.effect == rhs.effect && lhs.principal == rhs.principal
            && lhs.action == rhs.action && lhs.resource == rhs.resource
            && lhs.conditions == rhs.conditions && lhs.annotations == rhs.annotations
    }

    /// The slots this policy uses, in the scope and in its conditions. A policy with
    /// slots is a template.
    public var slots: Set<SlotID> {
        var found = Set<SlotID>()
        if case .slot(let s)? = principal.reference { found.insert(s) }
        if case .slot(let s)? = resource.reference { found.insert(s) }
        for c in conditions { c.body.collectSlots(into: &found) }
        return found
    }

    /// Whether this policy is a template (has slots).
    public var isTemplate: Bool { !slots.isEmpty }

    /// The value of annotation `key`, if present.
    public func annotation(_ key: String) -> String? {
        annotations.first { $0.key == key }?.value
    }
}

/// A `when` or `unless` clause.
public struct Condition: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case when, unless }
    public var kind: Kind
    public var body: Expr
    public init(_ kind: Kind, _ body: Expr) {
        self.kind = kind
        self.body = body
    }
}

/// `@key("value")`; an annotation written without a value has the value `""`.
public struct Annotation: Sendable, Equatable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
    public static func == (lhs: Annotation, rhs: Annotation) -> Bool {
        lhs.key == rhs.key && lhs.value.scalarsEqual(rhs.value)
    }
}

/// An entity written in a policy scope: a literal uid, or a template slot.
public enum EntityReference: Sendable, Equatable {
    case entity(EntityUID)
    case slot(SlotID)
}

/// The principal or resource part of a policy scope.
public enum ScopeConstraint: Sendable, Equatable {
    /// No constraint: `principal`
    case any
    /// `principal == User::"alice"` or `principal == ?principal`
    case equal(EntityReference)
    /// `principal in Group::"admins"`
    case `in`(EntityReference)
    /// `principal is User`
    case `is`(EntityType)
    /// `principal is User in Group::"admins"`
    case isIn(EntityType, EntityReference)

    /// The entity or slot named by this constraint, if any.
    public var reference: EntityReference? {
        switch self {
        case .any, .is: return nil
        case .equal(let r), .in(let r), .isIn(_, let r): return r
        }
    }
}

/// The action part of a policy scope.
public enum ActionConstraint: Sendable, Equatable {
    /// No constraint: `action`
    case any
    /// `action == Action::"view"`
    case equal(EntityUID)
    /// `action in Action::"readOnly"`
    case `in`(EntityUID)
    /// `action in [Action::"view", Action::"edit"]`
    case inSet([EntityUID])
}

extension Expr {
    /// Adds every slot used in this expression to `slots`.
    func collectSlots(into slots: inout Set<SlotID>) {
        switch kind {
        case .slot(let s): slots.insert(s)
        case .value, .variable: break
        case .not(let e), .negate(let e), .getAttribute(let e, _), .hasAttribute(let e, _),
            .like(let e, _), .isEmpty(let e):
            e.collectSlots(into: &slots)
        case .isType(let e, _, let other):
            e.collectSlots(into: &slots)
            other?.collectSlots(into: &slots)
        case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b):
            a.collectSlots(into: &slots)
            b.collectSlots(into: &slots)
        case .ifThenElse(let a, let b, let c):
            a.collectSlots(into: &slots)
            b.collectSlots(into: &slots)
            c.collectSlots(into: &slots)
        case .set(let es), .call(_, let es):
            for e in es { e.collectSlots(into: &slots) }
        case .record(let fs):
            for f in fs { f.value.collectSlots(into: &slots) }
        }
    }
}
