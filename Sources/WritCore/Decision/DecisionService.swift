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
        public init(mode: DecisionMode = .strict, limits: RequestLimits = RequestLimits(), authzen: AuthZENMapping = AuthZENMapping()) {
            self.mode = mode
            self.limits = limits
            self.authzen = authzen
        }
    }

    /// Whether the service can decide, and with which version.
    public enum Readiness: Sendable, Equatable {
        case ready(PolicySetSummary)
        case notReady(reason: String)
    }

    public let store: any WritStore
    public let configuration: Configuration
    private let state: Mutex<State>
    private let writer = SerialGate()

    private struct State {
        var engine: PolicyEngine?
        var notReadyReason: String = "starting: the policy set has not been loaded yet"
    }

    public init(store: any WritStore, configuration: Configuration = Configuration()) {
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
                let compiled: CompiledPolicySet
                do {
                    compiled = try PolicySetCompiler.compile(files: record.files, schema: record.schema)
                } catch {
                    throw WritError(.corruptState, "stored policy set version \(record.version) no longer compiles: \(error)")
                }
                let stored = try await self.store.allEntities()
                let engine = try self.makeEngine(record.summary, compiled, stored: Self.keyed(stored))
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
            self.publish(try self.makeEngine(record.summary, compiled, stored: Self.keyed(stored)))
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
        try await change(author: author, comment: comment, expectedVersion: expectedVersion) { current in
            (files, current?.schema)
        }
    }

    /// Replaces the schema (nil removes it), keeping the policies, as a new version —
    /// only if the policies validate against it and every stored entity conforms.
    public func replaceSchema(
        _ schema: SchemaSource?, author: String, comment: String? = nil, expectedVersion: Int? = nil
    ) async throws(WritError) -> PolicySetRecord {
        try await change(author: author, comment: comment, expectedVersion: expectedVersion) { current in
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
            author: author, comment: comment ?? "roll back to version \(version)", expectedVersion: nil
        ) { _ in (target.files, target.schema) }
    }

    /// Inserts or replaces the entities of an entities document, all or none: they
    /// must conform to the schema together with the entities already stored. Returns
    /// how many entities the document held.
    public func upsertEntities(_ document: [UInt8]) async throws(WritError) -> Int {
        try await writer.run { () async throws(WritError) -> Int in
            let engine = try self.engine()
            let incoming = try EntityDocument.split(document, limits: self.configuration.limits.documentJSON)
            var stored = engine.storedEntities
            for entity in incoming { stored[StoredEntityKey(type: entity.type, id: entity.id)] = entity }
            let next = try self.makeEngine(engine.version, engine.compiled, stored: stored)
            try await self.store.upsertEntities(incoming)
            self.publish(next)
            return incoming.count
        }
    }

    /// Replaces the whole entity set with an entities document, all or none.
    public func replaceEntities(_ document: [UInt8]) async throws(WritError) -> Int {
        try await writer.run { () async throws(WritError) -> Int in
            let engine = try self.engine()
            let incoming = try EntityDocument.split(document, limits: self.configuration.limits.documentJSON)
            let next = try self.makeEngine(engine.version, engine.compiled, stored: Self.keyed(incoming))
            try await self.store.replaceAllEntities(incoming)
            self.publish(next)
            return incoming.count
        }
    }

    /// Deletes entities by uid; returns how many existed.
    public func deleteEntities(_ keys: [StoredEntityKey]) async throws(WritError) -> Int {
        try await writer.run { () async throws(WritError) -> Int in
            let engine = try self.engine()
            var stored = engine.storedEntities
            for key in keys { stored[key] = nil }
            let next = try self.makeEngine(engine.version, engine.compiled, stored: stored)
            let deleted = try await self.store.deleteEntities(keys)
            self.publish(next)
            return deleted
        }
    }

    // MARK: - Internals

    private func change(
        author: String, comment: String?, expectedVersion: Int?,
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
            // Entities must conform to the new schema before anything is stored.
            let candidate = try self.makeEngine(
                PolicySetSummary(version: 0, author: author, comment: comment, createdAt: Date(), digest: draft.digest),
                compiled, stored: stored)
            let record = try await self.store.appendPolicySet(draft, expectedLatest: latest?.version)
            self.publish(PolicyEngine(
                version: record.summary, compiled: compiled, entities: candidate.entities,
                storedEntities: stored, mode: self.configuration.mode))
            return record
        }
    }

    private func currentStoredEntities() async throws(WritError) -> [StoredEntityKey: StoredEntity] {
        if let engine = state.withLock({ $0.engine }) { return engine.storedEntities }
        return Self.keyed(try await store.allEntities())
    }

    private func makeEngine(
        _ version: PolicySetSummary, _ compiled: CompiledPolicySet, stored: [StoredEntityKey: StoredEntity]
    ) throws(WritError) -> PolicyEngine {
        let ordered = stored.values.sorted { a, b in
            a.type == b.type ? a.id.unicodeScalars.lexicographicallyPrecedes(b.id.unicodeScalars)
                : a.type.unicodeScalars.lexicographicallyPrecedes(b.type.unicodeScalars)
        }
        let entities = try EntityDocument.load(ordered, schema: compiled.schema)
        return PolicyEngine(
            version: version, compiled: compiled, entities: entities, storedEntities: stored,
            mode: configuration.mode)
    }

    private func publish(_ engine: PolicyEngine) {
        state.withLock { s in s.engine = engine }
    }

    private static func keyed(_ list: [StoredEntity]) -> [StoredEntityKey: StoredEntity] {
        var map: [StoredEntityKey: StoredEntity] = [:]
        for e in list { map[StoredEntityKey(type: e.type, id: e.id)] = e }
        return map
    }
}
