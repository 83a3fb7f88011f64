import Foundation
import WritCore

/// Sample content for conformance cases.
enum Fixtures {
    /// A small draft whose content differs for each `n`.
    static func draft(_ n: Int, author: String = "cli", comment: String? = nil) -> PolicySetDraft {
        PolicySetDraft(
            files: [SourceFile(name: "main.cedar", text: "@id(\"p\(n)\")\npermit(principal, action, resource);\n")],
            schema: nil, author: author, comment: comment)
    }

    /// Text that a store must not change: both normal forms of `é`, an astral
    /// scalar, NUL, CR LF, a byte order mark, a bidi override, a lone combining mark
    /// and a tab.
    static let awkwardText = "caf\u{E9} cafe\u{301} \u{1F600}\u{0}\r\n\u{FEFF}\u{202E}\u{301}\t\"\\"

    static let cedarSchema = SchemaSource(
        format: .cedar, file: SourceFile(name: "todo.cedarschema", text: "entity User;\naction view appliesTo { principal: User, resource: User };\n"))

    static let jsonSchema = SchemaSource(
        format: .json, file: SourceFile(name: "todo.cedarschema.json", text: "{\"\": {\"entityTypes\": {\"User\": {}}, \"actions\": {}}}"))

    /// An entity whose JSON spells its uid; `extra` makes two versions of one entity differ.
    static func entity(_ type: String, _ id: String, extra: String = "") -> StoredEntity {
        StoredEntity(type: type, id: id, json: "{\"uid\": {\"type\": \"\(type)\", \"id\": \"\(id)\"}, \"attrs\": {\(extra)}, \"parents\": []}")
    }

    /// A key created `second` seconds into a fixed day.
    static func key(
        _ id: String, createdAt second: Int = 0, scopes: Set<APIKeyScope> = [.decide], revokedAt: Date? = nil
    ) -> APIKeyRecord {
        APIKeyRecord(
            id: id, name: "key \(id)", scopes: scopes, secretDigest: String(repeating: "ab", count: 32),
            createdAt: date(second), revokedAt: revokedAt)
    }

    /// A whole-second date, which every store keeps exactly.
    static func date(_ second: Int) -> Date {
        Date(timeIntervalSince1970: 1_750_000_000 + TimeInterval(second))
    }

    /// A task opened `second` seconds into the fixed day, expiring an hour later.
    static func task(
        _ id: String, parent: String? = nil, depth: Int = 0, openedAt second: Int = 0, expiresAfter seconds: Int = 3_600,
        agent: String = "support-bot", user: String = "alice"
    ) -> TaskRecord {
        TaskRecord(
            id: id, agent: agent, onBehalfOf: user, purpose: "answer ticket 42",
            mandate: [SourceFile(name: "mandate.cedar", text: "permit(principal, action, resource);\n")],
            parentID: parent, depth: depth, openedAt: date(second), expiresAt: date(second + seconds),
            openedBy: "key ops")
    }

    /// One allowed decision of `action`, spending `spend`.
    static func usage(_ action: String, spend: Int64? = nil) -> TaskCounters {
        TaskCounters(decisions: 1, calls: 1, actions: [action: 1], spend: spend.map { [action: $0] } ?? [:])
    }
}
