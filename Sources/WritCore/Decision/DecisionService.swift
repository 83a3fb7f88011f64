import Cedar
import Foundation
import Synchronization

/// The decision service: the active policy set, schema and entities compiled in
/// memory, decisions made against them, and the administration that changes them.
///
/// Reads never wait: each decision takes the current `PolicyEngine` (one immutable
/// version) and evaluates it on the caller's task. Changes are checked — parsed,
/// validated against the schema, entities read against it — before the store sees
/// them; they are serialised, written to the store, and only then swapped in.
/// Until a valid policy set is loaded the service is not ready, and every decision
/// fails with `.notReady` (HTTP 503): it never answers from partial state.
public final class DecisionService: Sendable {
    /// How the service decides and what it accepts.
    public struct Configuration: Sendable {
        /// Strict (the default) or cedar-compat; see `DecisionMode`.
        public var mode: DecisionMode
        /// Limits on request and document size and shape.
        public var limits: RequestLimits
        /// How AuthZEN subjects, actions, resources and context map to Cedar.
        public var authzen: AuthZENMapping
        /// What decision records keep of request values (salted hashes of sensitive ones).
        public var audit: AuditConfiguration
        public init(
            mode: DecisionMode = .strict, limits: RequestLimits = RequestLimits(), authzen: AuthZENMapping = AuthZENMapping(),
            audit: AuditConfiguration = AuditConfiguration()
        ) {
            self.mode = mode
            self.limits = limits
            self.authzen = authzen
            self.audit = audit
        }
    }

    /// Whether the service can decide, and with which version.
    public enum Readiness: Sendable, Equatable {
        case ready(PolicySetSummary)
        case notReady(reason: String)
    }

    public let store: any WritStore
    public let configuration: Configuration
    /// Where policy, schema and entity changes are recorded; nil records nothing.
    let audit: (any AuditSink)?
    private let state: Mutex<State>
    let writer = SerialGate()

    private struct State {
        var engine: PolicyEngine?
        var notReadyReason: String = "starting: the policy set has not been loaded yet"
    }

    /// A service over `store`. With `audit`, every change to the policies, schema or
    /// entities is recorded after it is stored and swapped in, before the call returns;
    /// a record that cannot be written is `.auditUnavailable` for the caller (the change
    /// stays in force). Decisions are recorded by their callers (`AuthZENOutcome.events`).
    public init(store: any WritStore, configuration: Configuration = Configuration(), audit: (any AuditSink)? = nil) {
        self.audit = audit
        self.store = store
        self.configuration = configuration
        self.state = Mutex(State())
    }

    // MARK: - Reading

    /// The current readiness.
    public var readiness: Readiness {
        state.withLock { s in
            if let engine = s.engine { return .ready(engine.version) }
            return .notReady(reason: s.notReadyReason)
        }
    }

    /// The engine decisions use now; `.notReady` when there is none.
    public func engine() throws(WritError) -> PolicyEngine {
        let current = state.withLock { s in (s.engine, s.notReadyReason) }
        guard let engine = current.0 else { throw WritError(.notReady, current.1) }
        return engine
    }

    /// Decides one Cedar request with the current engine; see `PolicyEngine.decide`.
    public func decide(_ request: Request, requestEntities: [Entity] = []) throws(WritError) -> WritDecision {
        try engine().decide(request, requestEntities: requestEntities)
    }

    // MARK: - Loading

    /// Loads the latest policy set and the entities from the store. On failure the
    /// service stays (or becomes) not ready, with the reason, and the error is thrown.
    public func reload() async throws(WritError) {
        try await writer.run { () async throws(WritError) in
            do throws(WritError) {
                guard let record = try await self.store.latestPolicySet() else {
                    throw WritError(.notReady, "no policy set has been loaded: PUT /v1/policies, or start with --from")
                }
                let compiled = try Self.compileStored(record)
                let stored = try await self.store.allEntities()
                let quarantined = try await Self.quarantined(in: self.store)
                let engine = try self.makeEngine(record.summary, compiled, stored: Self.keyed(stored), quarantined: quarantined)
                self.publish(engine)
            } catch {
                self.state.withLock { s in
                    s.engine = nil
                    s.notReadyReason = error.message
                }
                throw error
            }
        }
    }

    /// On a store with no policy set yet, stores `draft` as version 1 and `entities`
    /// (an entities document) as the entity set, then loads them. Returns false,
    /// changing nothing, when the store already has a policy set.
    @discardableResult
    public func bootstrap(_ draft: PolicySetDraft, entities: [UInt8]?) async throws(WritError) -> Bool {
        try await writer.run { () async throws(WritError) -> Bool in
            guard try await self.store.latestPolicySet() == nil else { return false }
            let compiled = try PolicySetCompiler.compile(files: draft.files, schema: draft.schema)
            let stored = try entities.map { bytes throws(WritError) in
                try EntityDocument.split(bytes, limits: self.configuration.limits.documentJSON)
            } ?? []
            _ = try EntityDocument.load(stored, schema: compiled.schema)
            try await self.store.replaceAllEntities(stored)
            let record = try await self.store.appendPolicySet(draft, expectedLatest: nil)
            let quarantined = try await Self.quarantined(in: self.store)
            self.publish(try self.makeEngine(record.summary, compiled, stored: Self.keyed(stored), quarantined: quarantined))
            try await self.recordChange(.policiesChanged, record, extra: [
                (key: "bootstrap", value: .bool(true)), (key: "entities", value: .number(JSONNumber(Int64(stored.count)))),
            ])
            return true
        }
    }

    // MARK: - Administration

    /// Replaces the policy files, keeping the schema, as a new version — only if the
    /// files parse and validate against the schema and, when `expectedVersion` is
    /// given, the active version is still that one. The previous version stays
    /// active on any error.
    public func replacePolicies(
        _ files: [SourceFile], author: String, comment: String? = nil, expectedVersion: Int? = nil
    ) async throws(WritError) -> PolicySetRecord {
        try await change(.policiesChanged, author: author, comment: comment, expectedVersion: expectedVersion) { current in
            (files, current?.schema)
        }
    }

    /// Replaces the schema (nil removes it), keeping the policies, as a new version —
    /// only if the policies validate against it and every stored entity conforms.
    public func replaceSchema(
        _ schema: SchemaSource?, author: String, comment: String? = nil, expectedVersion: Int? = nil
    ) async throws(WritError) -> PolicySetRecord {
        try await change(.schemaChanged, author: author, comment: comment, expectedVersion: expectedVersion) { current in
            (current?.files ?? [], schema)
        }
    }

    /// Makes an earlier version's content active again by appending it as a new
    /// version; history is never rewritten.
    public func rollback(to version: Int, author: String, comment: String? = nil) async throws(WritError) -> PolicySetRecord {
        guard let target = try await store.policySet(version: version) else {
            throw WritError(.notFound, "policy set version \(version) does not exist")
        }
        return try await change(
            .policiesChanged, author: author, comment: comment ?? "roll back to version \(version)", expectedVersion: nil,
            extra: [(key: "rollback_to", value: .number(JSONNumber(Int64(version))))]
        ) { _ in (target.files, target.schema) }
    }

    /// Inserts or replaces the entities of an entities document, all or none: they
    /// must conform to the schema together with the entities already stored. Returns
    /// how many entities the document held.
    public func upsertEntities(_ document: [UInt8], author: String? = nil) async throws(WritError) -> Int {
        try await writer.run { () async throws(WritError) -> Int in
            let engine = try self.engine()
            let incoming = try EntityDocument.split(document, limits: self.configuration.limits.documentJSON)
            var stored = engine.storedEntities
            for entity in incoming { stored[StoredEntityKey(type: entity.type, id: entity.id)] = entity }
            let next = try self.makeEngine(engine.version, engine.compiled, stored: stored, quarantined: engine.quarantined)
            try await self.store.upsertEntities(incoming)
            self.publish(next)
            try await self.recordEntities("upsert", count: incoming.count, total: stored.count, author: author)
            return incoming.count
        }
    }

    /// Replaces the whole entity set with an entities document, all or none.
    public func replaceEntities(_ document: [UInt8], author: String? = nil) async throws(WritError) -> Int {
        try await writer.run { () async throws(WritError) -> Int in
            let engine = try self.engine()
            let incoming = try EntityDocument.split(document, limits: self.configuration.limits.documentJSON)
            let next = try self.makeEngine(
                engine.version, engine.compiled, stored: Self.keyed(incoming), quarantined: engine.quarantined)
            try await self.store.replaceAllEntities(incoming)
            self.publish(next)
            try await self.recordEntities("replace", count: incoming.count, total: incoming.count, author: author)
            return incoming.count
        }
    }

    /// Deletes entities by uid; returns how many existed.
    public func deleteEntities(_ keys: [StoredEntityKey], author: String? = nil) async throws(WritError) -> Int {
        try await writer.run { () async throws(WritError) -> Int in
            let engine = try self.engine()
            var stored = engine.storedEntities
            for key in keys { stored[key] = nil }
            let next = try self.makeEngine(engine.version, engine.compiled, stored: stored, quarantined: engine.quarantined)
            let deleted = try await self.store.deleteEntities(keys)
            self.publish(next)
            try await self.recordEntities("delete", count: deleted, total: stored.count, author: author)
            return deleted
        }
    }

    // MARK: - Internals

    private func change(
        _ kind: AuditEventKind, author: String, comment: String?, expectedVersion: Int?,
        extra: [(key: String, value: JSON)] = [],
        content: @Sendable (PolicySetRecord?) -> ([SourceFile], SchemaSource?)
    ) async throws(WritError) -> PolicySetRecord {
        try await writer.run { () async throws(WritError) -> PolicySetRecord in
            let latest = try await self.store.latestPolicySet()
            if let expectedVersion, expectedVersion != latest?.version {
                throw WritError(
                    .conflict,
                    "the active policy set is version \(latest.map { String($0.version) } ?? "none"), not \(expectedVersion)")
            }
            let (files, schema) = content(latest)
            let draft = PolicySetDraft(files: files, schema: schema, author: author, comment: comment)
            let compiled = try PolicySetCompiler.compile(files: files, schema: schema)
            let stored = try await self.currentStoredEntities()
            let quarantined = try await self.currentQuarantined()
            // Entities must conform to the new schema before anything is stored.
            let candidate = try self.makeEngine(
                PolicySetSummary(version: 0, author: author, comment: comment, createdAt: Date(), digest: draft.digest),
                compiled, stored: stored, quarantined: quarantined)
            let record = try await self.store.appendPolicySet(draft, expectedLatest: latest?.version)
            self.publish(PolicyEngine(
                version: record.summary, compiled: compiled, entities: candidate.entities,
                storedEntities: stored, mode: self.configuration.mode, quarantined: quarantined))
            try await self.recordChange(kind, record, extra: extra)
            return record
        }
    }

    private func currentQuarantined() async throws(WritError) -> Set<StoredEntityKey> {
        if let engine = state.withLock({ $0.engine }) { return engine.quarantined }
        return try await Self.quarantined(in: store)
    }

    /// The keys of the store's quarantined tools.
    static func quarantined(in store: any WritStore) async throws(WritError) -> Set<StoredEntityKey> {
        Set(try await store.inventoryItems().filter(\.isQuarantined).map(\.key))
    }

    private func currentStoredEntities() async throws(WritError) -> [StoredEntityKey: StoredEntity] {
        if let engine = state.withLock({ $0.engine }) { return engine.storedEntities }
        return Self.keyed(try await store.allEntities())
    }

    /// A stored version compiled; `.corruptState` when it no longer compiles.
    static func compileStored(_ record: PolicySetRecord) throws(WritError) -> CompiledPolicySet {
        do {
            return try PolicySetCompiler.compile(files: record.files, schema: record.schema)
        } catch {
            throw WritError(.corruptState, "stored policy set version \(record.version) no longer compiles: \(error)")
        }
    }

    /// Records a new policy set version: its number, digest, author and comment.
    private func recordChange(
        _ kind: AuditEventKind, _ record: PolicySetRecord, extra: [(key: String, value: JSON)]
    ) async throws(WritError) {
        let summary = record.summary
        var details: [(key: String, value: JSON)] = [
            (key: "version", value: .number(JSONNumber(Int64(summary.version)))),
            (key: "digest", value: .string(summary.digest)),
            (key: "author", value: .string(summary.author)),
        ]
        if let comment = summary.comment { details.append((key: "comment", value: .string(comment))) }
        details += extra
        try await AuditRecorder.record(
            audit, [AuditEvent.lifecycle(kind, time: summary.createdAt, actor: summary.author, details: details)],
            what: "policy set version \(summary.version)")
    }

    /// Records an entity change: the operation, how many entities it named, how many are stored after.
    private func recordEntities(_ operation: String, count: Int, total: Int, author: String?) async throws(WritError) {
        try await AuditRecorder.record(
            audit,
            [AuditEvent.lifecycle(.entitiesChanged, actor: author, details: [
                (key: "operation", value: .string(operation)),
                (key: "count", value: .number(JSONNumber(Int64(count)))),
                (key: "stored", value: .number(JSONNumber(Int64(total)))),
            ])],
            what: "the entity change")
    }

    func makeEngine(
        _ version: PolicySetSummary, _ compiled: CompiledPolicySet, stored: [StoredEntityKey: StoredEntity],
        quarantined: Set<StoredEntityKey>
    ) throws(WritError) -> PolicyEngine {
        let ordered = stored.values.sorted { a, b in
            a.type == b.type ? a.id.unicodeScalars.lexicographicallyPrecedes(b.id.unicodeScalars)
                : a.type.unicodeScalars.lexicographicallyPrecedes(b.type.unicodeScalars)
        }
        let entities = try EntityDocument.load(ordered, schema: compiled.schema)
        return PolicyEngine(
            version: version, compiled: compiled, entities: entities, storedEntities: stored,
            mode: configuration.mode, quarantined: quarantined)
    }

    func publish(_ engine: PolicyEngine) {
        state.withLock { s in s.engine = engine }
    }

    static func keyed(_ list: [StoredEntity]) -> [StoredEntityKey: StoredEntity] {
        var map: [StoredEntityKey: StoredEntity] = [:]
        for e in list { map[StoredEntityKey(type: e.type, id: e.id)] = e }
        return map
    }
}
