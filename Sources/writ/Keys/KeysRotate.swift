import ArgumentParser
import Foundation
import WritCore
import WritSQLite

/// `writ keys rotate`: a new task-credential signing key; the active ones are retired.
struct KeysRotate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate", abstract: "Rotate the signing key of task credentials and close receipts.",
        discussion: """
            Stores a new Ed25519 signing key and retires every active one. A retired key \
            keeps verifying for 12 hours (the longest task), so credentials it signed live \
            out their tasks. `writ serve` reads the keys when it starts: restart it to sign \
            with the new key. Prints the new key id.
            """)

    @OptionGroup var data: DataOptions

    func run() async throws {
        let now = Date()
        let key = SigningKeyRecord.generate(now: now)
        // Stored, then recorded as `key.rotated` (key ids only, never key material).
        let retired = try await data.withAuditedStore("rotate the signing key") {
            store throws(WritError) -> (result: [String], events: [AuditEvent]) in
            let active = try await store.allSigningKeys().filter { $0.retiredAt == nil }
            try await store.insertSigningKey(key)
            var retired: [String] = []
            for old in active where try await store.retireSigningKey(id: old.id, at: now) {
                retired.append(old.id)
            }
            return (retired, [.keyRotated(key, retired: retired, actor: DataOptions.localActor)])
        }
        print(key.id)
        if !retired.isEmpty {
            FileHandle.standardError.write(Data("retired \(retired.joined(separator: ", "))\n".utf8))
        }
    }
}
