import Foundation

/// A store that keeps everything in memory, for embedding Writ and for tests. It
/// implements every store guarantee except durability: its state ends with it.
public actor MemoryStore: WritStore {
    private var versions: [PolicySetRecord] = []
    private var entities: [StoredEntityKey: StoredEntity] = [:]
    private var revision = 0
    private var keys: [APIKeyRecord] = []
    /// Positions in `keys`, by the id's UTF-8 bytes (exact scalars, never normalised).
    private var keyPositions: [[UInt8]: Int] = [:]
    /// Tasks; see `MemoryStore+Tasks.swift`.
    var taskTable = MemoryTaskTable()
    /// Approvals in insertion order; see `MemoryStore+Approvals.swift`.
    var approvalList: [ApprovalRecord] = []
    /// Positions in `approvalList`, by the id's UTF-8 bytes.
    var approvalPositions: [[UInt8]: Int] = [:]
    /// Audit records in sequence order and checkpoints; see `MemoryStore+Audit.swift`.
    var auditRowList: [AuditRow] = []
    var auditCheckpointList: [AuditCheckpoint] = []
    /// The inventory; see `MemoryStore+Inventory.swift`.
    var inventoryTable: [StoredEntityKey: InventoryItem] = [:]
    var inventoryRevisionValue = 0
    private var signingKeys: [SigningKeyRecord] = []
    /// Positions in `signingKeys`, by the id's UTF-8 bytes.
    private var signingKeyPositions: [[UInt8]: Int] = [:]
    private let now: @Sendable () -> Date

    /// An empty store that stamps new policy set versions with `now()`.
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    nonisolated public var capabilities: StoreCapabilities { [] }

    /// Its writes change memory only: a writer runs them in place (`StoreWrites`).
    nonisolated public var writesWait: Bool { false }

    // MARK: - Policies

    public func latestPolicySet() -> PolicySetRecord? {
        versions.last
    }

    public func policySet(version: Int) -> PolicySetRecord? {
        guard version >= 1, version <= versions.count else { return nil }
        return versions[version - 1]
    }

    public func policySetHistory(limit: Int, before: Int?) -> [PolicySetSummary] {
        guard limit > 0 else { return [] }
        let end = before.map { $0 <= 1 ? 0 : min(versions.count, $0 - 1) } ?? versions.count
        return versions[..<end].suffix(limit).reversed().map(\.summary)
    }

    public func appendPolicySet(
        _ draft: PolicySetDraft, expectedLatest: Int?
    ) throws(WritError) -> PolicySetRecord {
        let latest = versions.last?.version
        guard latest == expectedLatest else {
            throw .policySetConflict(expected: expectedLatest, latest: latest)
        }
        let record = PolicySetRecord(
            version: versions.count + 1, files: draft.files, schema: draft.schema, author: draft.author,
            comment: draft.comment, createdAt: now(), digest: draft.digest)
        versions.append(record)
        return record
    }

    // MARK: - Entities

    public func allEntities() -> [StoredEntity] {
        entities.values.sorted { MemoryStore.precedes($0.key, $1.key) }
    }

    public func upsertEntities(_ batch: [StoredEntity]) {
        guard !batch.isEmpty else { return }
        for entity in batch { entities[entity.key] = entity }
        revision += 1
    }

    public func deleteEntities(_ keys: [StoredEntityKey]) -> Int {
        var deleted = 0
        for key in keys where entities.removeValue(forKey: key) != nil { deleted += 1 }
        if deleted > 0 { revision += 1 }
        return deleted
    }

    public func replaceAllEntities(_ batch: [StoredEntity]) {
        entities = [:]
        for entity in batch { entities[entity.key] = entity }
        revision += 1
    }

    public func entityRevision() -> Int {
        revision
    }

    /// Advances the entity revision (a change made by another part of the store).
    func bumpEntityRevision() {
        revision += 1
    }

    /// Type, then id, each compared by Unicode scalars (UTF-8 byte order is the same order).
    static func precedes(_ a: StoredEntityKey, _ b: StoredEntityKey) -> Bool {
        if !a.type.utf8.elementsEqual(b.type.utf8) {
            return a.type.utf8.lexicographicallyPrecedes(b.type.utf8)
        }
        return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
    }

    // MARK: - API keys

    public func insertAPIKey(_ key: APIKeyRecord) throws(WritError) {
        let id = Array(key.id.utf8)
        guard keyPositions[id] == nil else { throw .duplicateAPIKey(id: key.id) }
        keyPositions[id] = keys.count
        keys.append(key)
    }

    public func apiKey(id: String) -> APIKeyRecord? {
        keyPositions[Array(id.utf8)].map { keys[$0] }
    }

    public func allAPIKeys() -> [APIKeyRecord] {
        keys.enumerated()
            .sorted { ($0.element.createdAt, $0.offset) < ($1.element.createdAt, $1.offset) }
            .map(\.element)
    }

    public func revokeAPIKey(id: String, at date: Date) -> Bool {
        guard let position = keyPositions[Array(id.utf8)], keys[position].revokedAt == nil else {
            return false
        }
        keys[position].revokedAt = date
        return true
    }

    // MARK: - Signing keys

    public func insertSigningKey(_ key: SigningKeyRecord) throws(WritError) {
        let id = Array(key.id.utf8)
        guard signingKeyPositions[id] == nil else { throw .duplicateSigningKey(id: key.id) }
        signingKeyPositions[id] = signingKeys.count
        signingKeys.append(key)
    }

    public func allSigningKeys() -> [SigningKeyRecord] {
        signingKeys.enumerated()
            .sorted { ($0.element.createdAt, $0.offset) < ($1.element.createdAt, $1.offset) }
            .map(\.element)
    }

    public func retireSigningKey(id: String, at date: Date) -> Bool {
        guard let position = signingKeyPositions[Array(id.utf8)], signingKeys[position].retiredAt == nil else {
            return false
        }
        signingKeys[position].retiredAt = date
        return true
    }
}
