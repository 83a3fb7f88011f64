// TEMPORARY: an in-memory stand-in for WritSQLite's SQLiteStore (branch `store`)
// until it lands. Delete this file before the final commit.
import Foundation
import HTTPTypes
import WritCore
import WritHTTP

actor SQLiteStore: WritStore {
    private var versions: [PolicySetRecord] = []
    private var entities: [StoredEntityKey: StoredEntity] = [:]
    private var keys: [APIKeyRecord] = []
    private var revision = 0

    init(directory: String) throws(WritError) {}

    nonisolated var capabilities: StoreCapabilities { [] }

    func latestPolicySet() -> PolicySetRecord? { versions.last }
    func policySet(version: Int) -> PolicySetRecord? { versions.first { $0.version == version } }
    func policySetHistory(limit: Int, before: Int?) -> [PolicySetSummary] {
        Array(versions.reversed().filter { before == nil || $0.version < before! }.prefix(max(limit, 0)).map(\.summary))
    }
    func appendPolicySet(_ draft: PolicySetDraft, expectedLatest: Int?) throws(WritError) -> PolicySetRecord {
        guard versions.last?.version == expectedLatest else { throw WritError(.conflict, "stale") }
        let record = PolicySetRecord(
            version: versions.count + 1, files: draft.files, schema: draft.schema, author: draft.author,
            comment: draft.comment, createdAt: Date(), digest: draft.digest)
        versions.append(record)
        return record
    }
    func allEntities() -> [StoredEntity] {
        entities.values.sorted { ($0.type, $0.id) < ($1.type, $1.id) }
    }
    func upsertEntities(_ batch: [StoredEntity]) {
        for e in batch { entities[StoredEntityKey(type: e.type, id: e.id)] = e }
        revision += 1
    }
    func deleteEntities(_ keys: [StoredEntityKey]) -> Int {
        revision += 1
        return keys.filter { entities.removeValue(forKey: $0) != nil }.count
    }
    func replaceAllEntities(_ batch: [StoredEntity]) {
        entities = [:]
        upsertEntities(batch)
    }
    func entityRevision() -> Int { revision }
    func insertAPIKey(_ key: APIKeyRecord) { keys.append(key) }
    func apiKey(id: String) -> APIKeyRecord? { keys.first { $0.id == id } }
    func allAPIKeys() -> [APIKeyRecord] { keys }
    func revokeAPIKey(id: String, at date: Date) -> Bool {
        guard let i = keys.firstIndex(where: { $0.id == id && $0.revokedAt == nil }) else { return false }
        keys[i].revokedAt = date
        return true
    }
}
