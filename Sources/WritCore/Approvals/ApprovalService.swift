import Cedar
import Foundation
import Synchronization

/// Approvals ("ask", docs/APPROVALS.md): asking for them when only approvable forbids
/// deny a request, letting a person approve or refuse each exactly once, and granting
/// the exact request an approval names.
///
/// Every change is one compare-and-set in the store (`ApprovalStore`): of concurrent
/// approve and refuse calls exactly one wins, the others get `.conflict`; of
/// concurrent requests granted by one single-use approval exactly one consumes it
/// and is allowed.
public final class ApprovalService: Sendable {
    /// Lifetimes of approvals.
    public struct Configuration: Sendable {
        /// How long a pending approval can be decided.
        public var pendingTTL: Duration
        /// How long an approval grants when the approver names no `ttl`.
        public var defaultGrantTTL: Duration
        /// The longest an approval may grant.
        public var maxGrantTTL: Duration
        /// The most approvals one listing returns.
        public var maxListed: Int

        public init(
            pendingTTL: Duration = .seconds(900), defaultGrantTTL: Duration = .seconds(3600),
            maxGrantTTL: Duration = .seconds(86_400), maxListed: Int = 1000
        ) {
            self.pendingTTL = pendingTTL
            self.defaultGrantTTL = defaultGrantTTL
            self.maxGrantTTL = maxGrantTTL
            self.maxListed = maxListed
        }
    }

    /// Where approvals are kept (the decision service's store, for a server).
    public let store: any ApprovalStore
    /// The lifetimes in force.
    public let configuration: Configuration
    let now: @Sendable () -> Date
    /// Where approvals asked, granted, refused and expired are recorded; nil records nothing.
    let audit: (any AuditSink)?
    /// Up to when `sweep()` has recorded expiries.
    private let swept: Mutex<Date>

    /// A service keeping approvals in `store`, timing them with `now`, recording to
    /// `audit` each change after it is stored and before the call returns (a record
    /// that cannot be written is `.auditUnavailable`; the change stays stored).
    public init(
        store: any ApprovalStore, configuration: Configuration = Configuration(), now: @escaping @Sendable () -> Date = { Date() },
        audit: (any AuditSink)? = nil
    ) {
        self.audit = audit
        self.swept = Mutex(now())
        self.store = store
        self.configuration = configuration
        self.now = now
    }

    // MARK: - Reading

    /// The approval with this id; nil when unknown (or the id is longer than any issued).
    public func approval(id: String) async throws(WritError) -> ApprovalRecord? {
        guard id.utf8.count <= Self.maxIDBytes else { return nil }
        return try await store.approval(id: id)
    }

    /// Approvals in `state` (all when nil), oldest first, at most `configuration.maxListed`.
    /// `pending` lists only those that can still be decided.
    public func approvals(state: ApprovalState?) async throws(WritError) -> [ApprovalRecord] {
        try await store.approvals(matching: ApprovalFilter(
            state: state, unexpired: state == .pending, now: now(), limit: configuration.maxListed))
    }

    // MARK: - Deciding

    /// Approves pending approval `id` for `scope`, granting for `ttl` (the default when
    /// nil), as the API key `approver`.
    /// - Throws: `.notFound` for an unknown id; `.conflict` when it was already decided or
    ///   has expired; `.invalidRequest` for a `ttl` outside 1 second … `maxGrantTTL`.
    public func approve(
        id: String, scope: ApprovalScope = .once, ttl: Duration? = nil, by approver: String
    ) async throws(WritError) -> ApprovalRecord {
        let ttl = ttl ?? configuration.defaultGrantTTL
        guard ttl >= .seconds(1), ttl <= configuration.maxGrantTTL else {
            throw WritError(
                .invalidRequest,
                "`ttl` is \(ttl.components.seconds) seconds; it must be from 1 to \(configuration.maxGrantTTL.components.seconds)")
        }
        let at = now()
        return try await decide(
            id, ApprovalVerdict(
                state: .approved, scope: scope, expiresAt: at.addingTimeInterval(Double(ttl.components.seconds)),
                decidedAt: at, decidedBy: approver))
    }

    /// Refuses pending approval `id` as the API key `refuser`: the exact request stays
    /// denied (`approval_refused`) until the approval would have expired.
    /// - Throws: as `approve(id:scope:ttl:by:)`.
    public func refuse(id: String, by refuser: String) async throws(WritError) -> ApprovalRecord {
        guard let pending = try await approval(id: id) else { throw Self.unknown(id) }
        let at = now()
        return try await decide(
            id, ApprovalVerdict(state: .refused, scope: nil, expiresAt: pending.expiresAt, decidedAt: at, decidedBy: refuser))
    }

    private func decide(_ id: String, _ verdict: ApprovalVerdict) async throws(WritError) -> ApprovalRecord {
        guard id.utf8.count <= Self.maxIDBytes else { throw Self.unknown(id) }
        if let decided = try await store.decideApproval(id: id, verdict) {
            var details: [(key: String, value: JSON)] = [
                (key: "approval", value: .string(decided.id)),
                (key: "digest", value: .string(decided.digest)),
                (key: "expires_at", value: AuditRecorder.seconds(decided.expiresAt)),
            ]
            if let scope = decided.scope { details.append((key: "scope", value: .string(scope.rawValue))) }
            try await AuditRecorder.record(
                audit, [Self.event(verdict.state == .approved ? .approvalGranted : .approvalRefused, decided, at: verdict.decidedAt,
                                   actor: verdict.decidedBy, details: details)],
                what: "the decision on approval `\(decided.id)`")
            return decided
        }
        guard let current = try await store.approval(id: id) else { throw Self.unknown(id) }
        if current.state == .pending {
            throw WritError(.conflict, "approval `\(id)` expired at \(current.expiresAt); it can no longer be decided")
        }
        throw WritError(.conflict, "approval `\(id)` was already decided: it is \(current.state.rawValue)")
    }

    // MARK: - Expiry

    /// Records `approval.expired` for each approval, pending or approved, whose expiry
    /// passed since the last sweep (or since the service was made), and returns their
    /// ids. Without an audit sink it does nothing. A failure (`.auditUnavailable`)
    /// records nothing and leaves the next sweep to try the same approvals again.
    /// Expiry needs no sweep to take effect: an expired approval grants nothing and
    /// cannot be decided whether or not it was recorded.
    @discardableResult
    public func sweep() async throws(WritError) -> [String] {
        guard audit != nil else { return [] }
        let at = now()
        let since = swept.withLock { $0 }
        let ended = try await store.approvals(matching: ApprovalFilter(now: at)).filter { record in
            (record.state == .pending || record.state == .approved) && record.expiresAt > since && record.expiresAt <= at
        }
        let events = ended.map { record in
            Self.event(.approvalExpired, record, at: record.expiresAt, actor: "writ", details: [
                (key: "approval", value: .string(record.id)),
                (key: "digest", value: .string(record.digest)),
                (key: "state", value: .string(record.state.rawValue)),
                (key: "expires_at", value: AuditRecorder.seconds(record.expiresAt)),
            ])
        }
        try await AuditRecorder.record(audit, events, what: "the expiry of \(ended.count) approvals")
        swept.withLock { $0 = max($0, at) }
        return ended.map(\.id)
    }

    // MARK: - Granting

    /// The approvals that grant now, by digest; a task-wide one before a single-use one.
    func grants() async throws(WritError) -> [String: ApprovalRecord] {
        let approved = try await store.approvals(matching: ApprovalFilter(state: .approved, unexpired: true, now: now()))
        var byDigest: [String: ApprovalRecord] = [:]
        for record in approved where byDigest[record.digest]?.scope != .task {
            byDigest[record.digest] = record
        }
        return byDigest
    }

    /// Uses `grant` for one allow: a task-wide approval is used as is (if unexpired); a
    /// single-use one must be consumed, which exactly one caller does. A store failure
    /// uses nothing.
    func use(_ grant: ApprovalRecord) async -> Bool {
        let at = now()
        guard grant.grants(at: at) else { return false }
        if grant.scope == .task { return true }
        return (try? await store.consumeApproval(id: grant.id, at: at)) ?? false
    }

    /// The approval that answers an ask: the latest unexpired one for the same digest
    /// when it is pending or refused, otherwise a new pending one.
    func answer(_ ask: ApprovalAsk) async throws(WritError) -> ApprovalRecord {
        let at = now()
        let known = try await store.approvals(matching: ApprovalFilter(digest: ask.digest, unexpired: true, now: at))
        if let latest = known.last, latest.state == .pending || latest.state == .refused { return latest }
        let record = ApprovalRecord(
            id: Self.newID(), digest: ask.digest, principal: ask.principal, action: ask.action, resource: ask.resource,
            arguments: ask.arguments, taskID: ask.taskID, policies: ask.policies, state: .pending, requestedAt: at,
            expiresAt: at.addingTimeInterval(Double(configuration.pendingTTL.components.seconds)))
        try await store.insertApproval(record)
        try await AuditRecorder.record(
            audit,
            [Self.event(.approvalAsked, record, at: at, actor: "writ", details: [
                (key: "approval", value: .string(record.id)),
                (key: "digest", value: .string(record.digest)),
                (key: "principal", value: .string(record.principal)),
                (key: "policies", value: AuditRecorder.strings(record.policies.map(\.policyID))),
                (key: "expires_at", value: AuditRecorder.seconds(record.expiresAt)),
            ])],
            what: "approval `\(record.id)`")
        return record
    }

    // MARK: - Helpers

    /// An approval event: the request's action and resource, its task, and `details`.
    /// Never the arguments, which may hold sensitive values (the digest binds them).
    static func event(
        _ kind: AuditEventKind, _ record: ApprovalRecord, at time: Date, actor: String, details: [(key: String, value: JSON)]
    ) -> AuditEvent {
        var event = AuditEvent.lifecycle(
            kind, time: time, actor: actor, taskID: record.taskID, resource: record.resource, details: details)
        event.action = record.action
        return event
    }

    /// The longest approval id accepted (issued ids are 26 bytes).
    static let maxIDBytes = 64

    /// A new approval id: `apr_` and 128 random bits in base64url.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "apr_" + Base64URL.encode(bytes)
    }

    package static func unknown(_ id: String) -> WritError {
        WritError(.notFound, "approval `\(id.prefix(Self.maxIDBytes))` does not exist")
    }
}

/// A request only approvable forbids denied, described for the approval it needs.
struct ApprovalAsk: Sendable, Equatable {
    var digest: String
    var principal: String
    var action: String
    var resource: String
    var arguments: String
    var taskID: String?
    var policies: [ApprovablePolicy]

    init(_ request: Request, taskID: String?, need: ApprovalNeed) {
        digest = ApprovalDigest.of(request, taskID: taskID)
        principal = request.principal.description
        action = request.action.description
        resource = request.resource.description
        arguments = ApprovalDigest.arguments(of: request)
        self.taskID = taskID
        policies = need.policies
    }
}
