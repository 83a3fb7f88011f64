/// A template linked to entities: the policy with id `newID` is the template
/// `templateID` with each slot replaced by its entity.
public struct TemplateLink: Sendable, Equatable {
    /// The template linked.
    public var templateID: PolicyID
    /// The id of the linked policy.
    public var newID: PolicyID
    /// The entity for each of the template's slots.
    public var values: [SlotID: EntityUID]

    /// Creates a link.
    public init(templateID: PolicyID, newID: PolicyID, values: [SlotID: EntityUID]) {
        self.templateID = templateID
        self.newID = newID
        self.values = values
    }

    /// Links are equal when their ids are equal by Unicode scalars and their values agree.
    public static func == (lhs: TemplateLink, rhs: TemplateLink) -> Bool {
        lhs.templateID.scalarsEqual(rhs.templateID) && lhs.newID.scalarsEqual(rhs.newID) && lhs.values == rhs.values
    }
}

/// An error building a policy set: a duplicate id, an unknown template, or slots
/// that do not match the template.
public struct PolicySetError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let duplicateID = Code(rawValue: "duplicate_policy_id")
        public static let unknownTemplate = Code(rawValue: "unknown_template")
        public static let slotMismatch = Code(rawValue: "slot_mismatch")
        public static let notATemplate = Code(rawValue: "not_a_template")
    }
    public let code: Code
    public let message: String
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { message }
    /// Equality compares codes only; messages may be reworded.
    public static func == (lhs: PolicySetError, rhs: PolicySetError) -> Bool { lhs.code == rhs.code }
}

/// Static policies, templates and template links, each under a unique id.
public struct PolicySet: Sendable, Equatable {
    /// Static policies and linked templates, in the order they were added.
    public private(set) var policies: [Policy] = []
    /// Templates, in the order they were added.
    public private(set) var templates: [Policy] = []
    /// Template links, in the order they were made.
    public private(set) var links: [TemplateLink] = []
    private var ids: Set<PolicyID> = []

    /// An empty policy set.
    public init() {}

    /// A policy set holding `policies`; templates (policies with slots) go to `templates`.
    public init(_ policies: [Policy]) throws(PolicySetError) {
        for p in policies { try add(p) }
    }

    /// Adds a static policy, or a template if it has slots.
    public mutating func add(_ policy: Policy) throws(PolicySetError) {
        guard ids.insert(policy.id).inserted else {
            throw PolicySetError(.duplicateID, "policy id `\(policy.id)` is already in use")
        }
        if policy.isTemplate { templates.append(policy) } else { policies.append(policy) }
    }

    /// The template with this id.
    public func template(_ id: PolicyID) -> Policy? { templates.first { $0.id == id } }

    /// Links template `templateID` to `values` as the new static policy `newID`.
    public mutating func link(template templateID: PolicyID, as newID: PolicyID, values: [SlotID: EntityUID])
        throws(PolicySetError)
    {
        guard let template = template(templateID) else {
            if policies.contains(where: { $0.id == templateID }) {
                throw PolicySetError(.notATemplate, "`\(templateID)` is a static policy, not a template")
            }
            throw PolicySetError(.unknownTemplate, "no template with id `\(templateID)`")
        }
        let needed = template.slots
        guard Set(values.keys) == needed else {
            let want = needed.map(\.rawValue).sorted().joined(separator: ", ")
            let got = values.keys.map(\.rawValue).sorted().joined(separator: ", ")
            throw PolicySetError(
                .slotMismatch, "template `\(templateID)` has slots [\(want)] but the link gives [\(got)]")
        }
        guard ids.insert(newID).inserted else {
            throw PolicySetError(.duplicateID, "policy id `\(newID)` is already in use")
        }
        policies.append(template.linked(as: newID, values: values))
        links.append(TemplateLink(templateID: templateID, newID: newID, values: values))
    }
}

extension Policy {
    /// This template with its slots replaced by `values`, under the id `newID`.
    func linked(as newID: PolicyID, values: [SlotID: EntityUID]) -> Policy {
        func fill(_ r: EntityReference) -> EntityReference {
            if case .slot(let s) = r, let uid = values[s] { return .entity(uid) }
            return r
        }
        func fill(_ c: ScopeConstraint) -> ScopeConstraint {
            switch c {
            case .any, .is: return c
            case .equal(let r): return .equal(fill(r))
            case .in(let r): return .in(fill(r))
            case .isIn(let t, let r): return .isIn(t, fill(r))
            }
        }
        var copy = self
        copy.id = newID
        copy.principal = fill(principal)
        copy.resource = fill(resource)
        copy.conditions = conditions.map { Condition($0.kind, $0.body.replacingSlots(values)) }
        return copy
    }
}

extension Expr {
    /// This expression with every slot in `values` replaced by its entity.
    func replacingSlots(_ values: [SlotID: EntityUID]) -> Expr {
        func r(_ e: Expr) -> Expr { e.replacingSlots(values) }
        let newKind: Kind
        switch kind {
        case .slot(let s):
            guard let uid = values[s] else { return self }
            newKind = .value(.entity(uid))
        case .value, .variable: return self
        case .not(let e): newKind = .not(r(e))
        case .negate(let e): newKind = .negate(r(e))
        case .binary(let op, let a, let b): newKind = .binary(op, r(a), r(b))
        case .and(let a, let b): newKind = .and(r(a), r(b))
        case .or(let a, let b): newKind = .or(r(a), r(b))
        case .ifThenElse(let a, let b, let c): newKind = .ifThenElse(r(a), then: r(b), else: r(c))
        case .getAttribute(let e, let a): newKind = .getAttribute(r(e), a)
        case .hasAttribute(let e, let a): newKind = .hasAttribute(r(e), a)
        case .like(let e, let p): newKind = .like(r(e), p)
        case .isType(let e, let t, let other): newKind = .isType(r(e), t, in: other.map(r))
        case .set(let es): newKind = .set(es.map(r))
        case .record(let fs): newKind = .record(fs.map { RecordField(key: $0.key, value: r($0.value)) })
        case .isEmpty(let e): newKind = .isEmpty(r(e))
        case .call(let n, let args): newKind = .call(n, args.map(r))
        }
        return Expr(newKind, span: span)
    }
}
