import Foundation
import Testing
import WritCore
import WritSQLite

/// `writ keys create | revoke | rotate`, `writ task open | close` and `writ approvals`
/// on a data directory record their events in the directory's audit log.
@Suite struct KeysAuditCommand {
    static let environment = ["USER": "ops"]

    /// `writ audit export --data D` as JSON objects, oldest first.
    static func export(_ data: String) throws -> (run: CLIRun, records: [[String: Any]]) {
        let run = try CLI.run(["audit", "export", "--data", data])
        let records = run.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        return (run, records)
    }

    /// Every byte of every file under `directory`, each file's as one string (Latin-1,
    /// so any byte sequence reads).
    static func contents(of directory: String) throws -> [String: String] {
        var files: [String: String] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: directory) {
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            files[name] = String(decoding: data.map { UInt16($0) }, as: UTF16.self)
        }
        return files
    }

    @Test func createRevokeAndRotateRecordTheirKindsAsTheOSUserAndTheLogVerifies() throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let created = try CLI.run(
            ["keys", "create", "--name", "pep", "--scope", "decide", "--scope", "audit", "--data", data],
            environment: Self.environment)
        let id = created.stdout.split(separator: "_").dropFirst().first.map(String.init) ?? ""
        let revoked = try CLI.run(["keys", "revoke", id, "--data", data], environment: Self.environment)
        let rotated = try CLI.run(["keys", "rotate", "--data", data], environment: Self.environment)
        let (export, records) = try Self.export(data)
        let verified = try CLI.run(["audit", "verify", "--data", data])
        let details = records.map { $0["details"] as? [String: Any] ?? [:] }
        #expect(created.status == 0 && revoked.status == 0 && rotated.status == 0)
        #expect(export.status == 0)
        #expect(records.compactMap { $0["kind"] as? String } == ["key.created", "key.revoked", "key.rotated"])
        #expect(records.compactMap { $0["actor"] as? String } == ["local:ops", "local:ops", "local:ops"])
        #expect(details.prefix(2).compactMap { $0["key"] as? String } == [id, id])
        #expect(details.prefix(2).compactMap { $0["name"] as? String } == ["pep", "pep"])
        #expect(details.first?["scopes"] as? [String] == ["audit", "decide"])
        #expect(details.last?["key"] as? String == rotated.stdout.trimmingCharacters(in: .newlines))
        #expect(verified.status == 0)
        #expect(verified.stdout == "ok: 3 records, 3 checkpoints\n")
    }

    @Test func aCreatedKeysSecretIsNeitherInTheExportNorInAnyFileOfTheDataDirectory() throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let created = try CLI.run(["keys", "create", "--name", "pep", "--scope", "decide", "--data", data])
        let token = created.stdout.trimmingCharacters(in: .newlines)
        let secret = String(token.suffix(64))
        let (export, records) = try Self.export(data)
        let files = try Self.contents(of: data)
        #expect(created.status == 0)
        #expect(secret.count == 64)
        #expect(records.count == 1)
        #expect(!export.stdout.contains(secret))
        #expect(files.filter { $0.value.contains(secret) }.keys.sorted() == [])
    }

    @Test func aRotationRecordsNothingOfTheNewPrivateKey() async throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let rotated = try CLI.run(["keys", "rotate", "--data", data])
        let (export, _) = try Self.export(data)
        let store = try SQLiteStore(directory: data)
        defer { try? store.close() }
        let key = try #require(try await store.allSigningKeys().first { $0.id == rotated.stdout.trimmingCharacters(in: .newlines) })
        let hex = key.privateKey.map { String(format: "%02x", $0) }.joined()
        let base64 = Data(key.privateKey).base64EncodedString().trimmingCharacters(in: CharacterSet(charactersIn: "="))
        let rows = try await store.auditRows(from: 1, limit: 10)
        #expect(rotated.status == 0)
        #expect(rows.map(\.kind) == ["key.rotated"])
        #expect(rows.filter { row in
            let canonical = String(decoding: row.canonical.map { UInt16($0) }, as: UTF16.self)
            return [hex, base64, String(decoding: key.privateKey.map { UInt16($0) }, as: UTF16.self)]
                .contains { canonical.contains($0) }
        }.count == 0)
        #expect(!export.stdout.contains(hex) && !export.stdout.contains(base64))
    }

    @Test func aKeyIsNotCreatedWhenTheAuditLogCannotBeOpened() throws {
        let data = FileManagerHelpers.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let planted = FileManager.default.createFile(
            atPath: data + "/audit-signing-key", contents: Data("not a key\n".utf8), attributes: [.posixPermissions: 0o600])
        try #require(planted)
        let created = try CLI.run(["keys", "create", "--name", "pep", "--scope", "decide", "--data", data])
        let listed = try CLI.run(["keys", "list", "--data", data])
        #expect(created.status == 1)
        #expect(created.stdout == "")
        #expect(created.stderr.contains(": the audit log in `\(data)` cannot be opened: "))
        #expect(listed.stdout.split(separator: "\n").count == 1)
    }

    @Test func taskOpenAndCloseOnTheDataDirectoryAreRecordedAsTheOSUser() throws {
        let data = try TaskCommand.dataDirectory()
        let opened = try TaskCommand.open(["--mandate", TaskCommand.mandate, "--data", data], environment: Self.environment)
        let closed = try CLI.run(["task", "close", TaskCommand.taskID(opened), "--data", data], environment: Self.environment)
        let (_, records) = try Self.export(data)
        let tasks = records.filter { ($0["kind"] as? String)?.hasPrefix("task.") == true }
        let verified = try CLI.run(["audit", "verify", "--data", data])
        #expect(opened.status == 0 && closed.status == 0)
        #expect(tasks.compactMap { $0["kind"] as? String } == ["task.opened", "task.closed"])
        #expect(tasks.compactMap { $0["task_id"] as? String } == [TaskCommand.taskID(opened), TaskCommand.taskID(opened)])
        #expect(tasks.compactMap { $0["actor"] as? String } == ["local:ops", "local:ops"])
        #expect(verified.status == 0)
    }
}
