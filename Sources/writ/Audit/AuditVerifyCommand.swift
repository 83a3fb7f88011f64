import ArgumentParser
import Foundation
import WritCore
import WritSQLite

/// `writ audit verify`: checks the chain, the columns, the checkpoints.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the audit log: every hash, link and checkpoint; names the first bad record.",
        discussion: """
            Prints `ok: N records, M checkpoints` and exits 0, or names the first bad \
            record and exits 3. Checkpoints must be signed by the key in --key (default \
            DATA/audit-signing-key) when that file exists. Exits 1 when the data directory, \
            the key or the checkpoint directory cannot be read.
            """)

    @OptionGroup var data: DataOptions

    @Option(help: "A directory of checkpoint files kept outside the database (writ serve --audit-checkpoints).")
    var checkpoints: String?

    @Option(help: "The audit signing key file whose public key checkpoints must carry (default: DATA/audit-signing-key).")
    var key: String?

    func run() async throws {
        let store = try data.existingStore()
        defer { try? store.close() }
        var trusted: [[UInt8]]?
        let keyPath = key ?? data.auditSigningKeyPath
        if key != nil || FileManager.default.fileExists(atPath: keyPath) {
            do {
                trusted = [try AuditSigningKey.load(path: keyPath, create: false).publicKey]
            } catch {
                printError(error.message)
                throw WritExit.badInput
            }
        } else {
            FileHandle.standardError.write(Data(
                "note: no audit signing key at `\(keyPath)`: checkpoints are checked against their own keys\n".utf8))
        }
        var external: [AuditCheckpoint] = []
        if let checkpoints {
            do {
                external = try AuditCheckpointDirectory(path: checkpoints).readAll()
            } catch {
                printError(error.message)
                throw WritExit.badInput
            }
        }
        let outcome: AuditVerifier.Outcome
        do {
            outcome = try await AuditVerifier(store: store, externalCheckpoints: external, trustedKeys: trusted).verify()
        } catch {
            printError("cannot read the audit log: \(error.message)")
            throw WritExit.badInput
        }
        switch outcome {
        case .ok(let size, let count):
            print("ok: \(size) records, \(count) checkpoints")
        case .failed(let failure):
            print("failed: \(failure)")
            throw WritExit.verificationFailed
        }
    }
}
