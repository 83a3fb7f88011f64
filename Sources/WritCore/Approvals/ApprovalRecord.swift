import Foundation

/// Where an approval is in its life: asked for (`pending`), then decided once by a
/// person (`approved` or `refused`); a single-use approval becomes `consumed` when
/// the allow it granted is made. Expiry is not a state: an approval past `expiresAt`
/// grants nothing and can no longer be decided, whatever its state.
public enum ApprovalState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Asked for; not decided yet.
    case pending
    /// A person approved it: it grants its exact request until it expires.
    case approved
    /// A person refused it: its exact request is denied `approval_refused` until it expires.
    case refused
    /// A single-use approval whose allow was made: it grants nothing more.
    case consumed
}

/// How long an approved request stays allowed.
public enum ApprovalScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// The first allow it grants consumes it.
    case once
    /// Every identical request in the task, until the task closes or the approval expires.
    case task
}

/// An approvable forbid that denied the request, with the text its annotation gives a person.
public struct ApprovablePolicy: Sendable, Equatable, Codable {
    /// The forbid's policy id.
    public var policyID: String
    /// Its `@approvable` text.
    public var text: String
    public init(policyID: String, text: String) {
        self.policyID = policyID
        self.text = text
    }
}

/// One approval: a request that only approvable forbids denied, bound to the digest
/// of the exact action (`ApprovalDigest`), and what a person decided about it.
public struct ApprovalRecord: Sendable, Equatable, Codable {
    /// `apr_` and 128 random bits in base64url.
    public var id: String
    /// `ApprovalDigest` of the request, lowercase hex.
    public var digest: String
    /// The principal, action and resource as Cedar entity uids (`Writ::Agent::"a"`).
    public var principal: String
    public var action: String
    public var resource: String
    /// The request's `context.input` (the call's arguments) as canonical JSON; `null` without one.
    public var arguments: String
    /// The task the request was made in; nil for a principal that is not an agent.
    public var taskID: String?
    /// The forbids that asked, with their texts.
    public var policies: [ApprovablePolicy]
    public var state: ApprovalState
    public var requestedAt: Date
    /// A pending approval can be decided until then; an approved one grants until then.
    public var expiresAt: Date
    public var decidedAt: Date?
    /// The id of the API key that decided.
    public var decidedBy: String?
    /// For an approved (or consumed) approval, how long it grants.
    public var scope: ApprovalScope?

    public init(
        id: String, digest: String, principal: String, action: String, resource: String, arguments: String,
        taskID: String?, policies: [ApprovablePolicy], state: ApprovalState, requestedAt: Date, expiresAt: Date,
        decidedAt: Date? = nil, decidedBy: String? = nil, scope: ApprovalScope? = nil
    ) {
        self.id = id
        self.digest = digest
        self.principal = principal
        self.action = action
        self.resource = resource
        self.arguments = arguments
        self.taskID = taskID
        self.policies = policies
        self.state = state
        self.requestedAt = requestedAt
        self.expiresAt = expiresAt
        self.decidedAt = decidedAt
        self.decidedBy = decidedBy
        self.scope = scope
    }

    /// Whether it has expired at `now`.
    public func isExpired(at now: Date) -> Bool { expiresAt <= now }

    /// Whether it allows the request its digest names at `now`.
    public func grants(at now: Date) -> Bool { state == .approved && !isExpired(at: now) }
}

/// A person's decision on a pending approval.
public struct ApprovalVerdict: Sendable, Equatable {
    /// `approved` or `refused`.
    public var state: ApprovalState
    /// For an approval: how long it grants.
    public var scope: ApprovalScope?
    /// The new expiry: for an approval, when it stops granting.
    public var expiresAt: Date
    public var decidedAt: Date
    /// The API key id of the approver.
    public var decidedBy: String

    public init(state: ApprovalState, scope: ApprovalScope?, expiresAt: Date, decidedAt: Date, decidedBy: String) {
        self.state = state
        self.scope = scope
        self.expiresAt = expiresAt
        self.decidedAt = decidedAt
        self.decidedBy = decidedBy
    }
}

/// Which approvals `ApprovalStore.approvals(matching:)` returns.
public struct ApprovalFilter: Sendable, Equatable {
    /// Only approvals in this state.
    public var state: ApprovalState?
    /// Only approvals bound to this digest.
    public var digest: String?
    /// With `unexpired`, only those whose expiry is after `now`.
    public var unexpired: Bool
    /// The time `unexpired` compares with.
    public var now: Date
    /// At most this many (none when zero or negative).
    public var limit: Int?

    public init(state: ApprovalState? = nil, digest: String? = nil, unexpired: Bool = false, now: Date = Date(), limit: Int? = nil) {
        self.state = state
        self.digest = digest
        self.unexpired = unexpired
        self.now = now
        self.limit = limit
    }

    /// Whether `record` is one the filter selects (ignoring `limit`).
    public func matches(_ record: ApprovalRecord) -> Bool {
        if let state, record.state != state { return false }
        if let digest, record.digest != digest { return false }
        if unexpired, record.isExpired(at: now) { return false }
        return true
    }
}
