import Foundation
import Testing
import WritCore
import WritSQLite

/// `writ audit verify | query | export` on a data directory holding a real audit log.
@Suite struct AuditCommand {
    /// A data directory with `count` records (task t1 for odd n, t2 for even; deny
    /// for n divisible by 3), its signing key, and a checkpoint directory beside it
    /// holding the checkpoint written at close.
    static func dataDirectory(records count: Int = 5) async throws -> (data: String, checkpoints: String) {
        let data = FileManagerHelpers.temporaryDirectory()
        let checkpoints = FileManagerHelpers.temporaryDirectory()
        try await record(count, data: data, checkpoints: checkpoints)
        return (data, checkpoints)
    }

    static func record(_ count: Int, data: String, checkpoints: String) async throws {
        let store = try SQLiteStore(directory: data)
        let key = try AuditSigningKey.load(path: data + "/audit-signing-key", create: true)
        let log = try await AuditLog.open(
            store: store, signingKey: key, configuration: .init(checkpointInterval: nil, checkpointDirectory: checkpoints))
        for n in 1...count {
            try await log.record([
                AuditEvent(
                    kind: .decision, time: Date(timeIntervalSince1970: 1_750_000_000 + Double(n)), actor: "pep",
                    decisionID: "d\(n)", taskID: n % 2 == 1 ? "t1" : "t2", agent: "bot", user: "alice",
                    resource: "Tool::\"search\"", action: "Action::\"call\"", outcome: n % 3 == 0 ? .deny : .allow)
            ])
        }
        try await log.close()
        try store.close()
    }

    @Test func verifyReportsTheRecordsAndCheckpointsOfAnIntactLog() async throws {
        let (data, checkpoints) = try await Self.dataDirectory()
        let run = try CLI.run(["audit", "verify", "--data", data, "--checkpoints", checkpoints])
        #expect(run.status == 0)
        #expect(run.stdout == "ok: 5 records, 2 checkpoints\n")
    }

    @Test func verifyNamesTheFirstMissingRecordOfALogShorterThanAnExternalCheckpoint() async throws {
        let (data, checkpoints) = try await Self.dataDirectory()
        try FileManager.default.removeItem(atPath: data + "/writ.sqlite")
        try? FileManager.default.removeItem(atPath: data + "/writ.sqlite-wal")
        try? FileManager.default.removeItem(atPath: data + "/writ.sqlite-shm")
        try await Self.record(3, data: data, checkpoints: FileManagerHelpers.temporaryDirectory())
        let run = try CLI.run(["audit", "verify", "--data", data, "--checkpoints", checkpoints])
        #expect(run.status == 3)
        #expect(run.stdout == "failed: record 4: truncated below checkpoint size 5\n")
    }

    @Test func verifyOfAMissingDataDirectoryIsBadInput() throws {
        let run = try CLI.run(["audit", "verify", "--data", "/nonexistent/writ-data"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("no Writ store in `/nonexistent/writ-data`"))
    }

    @Test func verifyWithAMissingCheckpointDirectoryIsBadInput() async throws {
        let (data, _) = try await Self.dataDirectory(records: 1)
        let run = try CLI.run(["audit", "verify", "--data", data, "--checkpoints", "/nonexistent/checkpoints"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("the checkpoint directory `/nonexistent/checkpoints` does not exist"))
    }

    @Test func queryPrintsMatchingRecordsNewestFirstAndTheNextPage() async throws {
        let (data, _) = try await Self.dataDirectory()
        let run = try CLI.run(["audit", "query", "--data", data, "--task", "t1", "--limit", "2"])
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(run.status == 0)
        #expect(lines.count == 4)
        #expect(lines.dropFirst().first?.hasPrefix("5 ") == true)
        #expect(lines.last == "more: --after 3")
    }

    @Test func queryAsJSONGivesThePageWithItsCursor() async throws {
        let (data, _) = try await Self.dataDirectory()
        let run = try CLI.run(["audit", "query", "--data", data, "--outcome", "deny", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let records = object?["records"] as? [[String: Any]] ?? []
        #expect(run.status == 0)
        #expect(records.compactMap { $0["decision_id"] as? String } == ["d3"])
        #expect(object?["next"] == nil)
    }

    @Test(arguments: [
        (["--limit", "0"], "`limit`"), (["--outcome", "maybe"], "`outcome`"), (["--since", "yesterday"], "`since`"),
        (["--after=-5"], "`after`"), (["--kind", "nothing"], "`kind`"), (["--order", "sideways"], "`order`"),
        (["--task", "a\u{7}b"], "`task`"),
    ])
    func queryRefusesABadFilterNamingIt(_ arguments: [String], _ named: String) async throws {
        let (data, _) = try await Self.dataDirectory(records: 1)
        let run = try CLI.run(["audit", "query", "--data", data] + arguments)
        #expect(run.status == 1)
        #expect(run.stderr.contains(named))
    }

    @Test func queryOfAMissingDataDirectoryIsBadInput() throws {
        let run = try CLI.run(["audit", "query", "--data", "/nonexistent/writ-data"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("no Writ store"))
    }

    @Test func exportWritesEveryMatchingRecordAsJSONLinesOldestFirst() async throws {
        let (data, _) = try await Self.dataDirectory()
        let run = try CLI.run(["audit", "export", "--data", data, "--task", "t1"])
        let lines = run.stdout.split(separator: "\n")
        let records = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(run.status == 0)
        #expect(records.compactMap { $0["sequence"] as? Int } == [1, 3, 5])
        #expect(records.first?["previous_hash"] as? String == String(repeating: "0", count: 64))
    }

    @Test func exportRefusesABadFilterAndAMissingDataDirectory() throws {
        let bad = try CLI.run(["audit", "export", "--data", FileManagerHelpers.temporaryDirectory(), "--until", "soon"])
        let missing = try CLI.run(["audit", "export", "--data", "/nonexistent/writ-data"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("`until`"))
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no Writ store"))
    }
}

/// `writ serve` keeps the audit log: its signing key file and its checkpoints.
@Suite struct ServeAudit {
    @Test func serveSignsACheckpointAtShutdownIntoTheStoreAndTheCheckpointDirectory() async throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let checkpoints = FileManagerHelpers.temporaryDirectory() + "/checkpoints"
        let server = try ServerProcess(["--from", try ServeCommand.policyDirectory(), "--data", data,
                                        "--audit-checkpoints", checkpoints])
        #expect(server.stop().status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: data + "/audit-signing-key")[.posixPermissions]
        let files = try FileManager.default.contentsOfDirectory(atPath: checkpoints)
        let verified = try CLI.run(["audit", "verify", "--data", data, "--checkpoints", checkpoints])
        let kinds = try CLI.run(["audit", "export", "--data", data]).stdout.split(separator: "\n").map { line in
            line.range(of: #""kind":"[a-z.]+""#, options: .regularExpression).map { String(line[$0]) } ?? ""
        }
        #expect(((mode as? Int) ?? (mode as? NSNumber)?.intValue) == 0o600)
        #expect(files == ["checkpoint-000000000003.json"])
        #expect(verified.stdout == "ok: 3 records, 2 checkpoints\n")
        #expect(kinds == [#""kind":"policies.changed""#, #""kind":"server.started""#, #""kind":"server.stopped""#])
    }

    @Test func aCheckpointIntervalOutOfRangeIsRefused() throws {
        let run = try CLI.run(["serve", "--audit-checkpoint-interval", "0", "--data", FileManagerHelpers.temporaryDirectory()])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--audit-checkpoint-interval must be 1 to 86400 seconds"))
    }

    @Test func aSyncIntervalOutOfRangeIsRefused() throws {
        let run = try CLI.run(["serve", "--durability", "normal", "--sync-interval", "0", "--data", FileManagerHelpers.temporaryDirectory()])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--sync-interval must be 1 to 60000 milliseconds"))
    }

    @Test func anUnknownDurabilityIsRefused() throws {
        let run = try CLI.run(["serve", "--durability", "eventually", "--data", FileManagerHelpers.temporaryDirectory()])
        #expect(run.status == 64)
        #expect(run.stderr.contains("The value 'eventually' is invalid for '--durability <durability>'"))
    }
}
