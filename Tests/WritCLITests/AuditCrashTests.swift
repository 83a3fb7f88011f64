import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import Testing

/// Issue 7's crash test: `writ serve` killed with SIGKILL under load, again and
/// again, loses no decision a client received and records none twice.
@Suite(.serialized) struct AuditCrash {
    static let rounds = 20
    static let workers = 4

    /// The decision ids clients received, across all rounds.
    actor Received {
        var ids: [String] = []
        func add(_ id: String) { ids.append(id) }
    }

    /// Under both durabilities: `normal` leaves fsyncing to periodic checkpoints, but
    /// a commit in the write-ahead log survives the process being killed.
    @Test(arguments: ["full", "normal"])
    func everyDecisionAClientReceivedIsRecordedExactlyOnceAfterTwentyKills(durability: String) async throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let policies = try ServeCommand.policyDirectory()
        let received = Received()
        for round in 0..<Self.rounds {
            let server = try ServerProcess(["--from", policies, "--data", data, "--durability", durability])
            try #require(!server.baseURL.isEmpty, "round \(round): the server did not start")
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    for _ in 0..<Self.workers {
                        group.addTask {
                            while true {  // until the server is gone
                                guard let answer = try? await Self.evaluate(server.baseURL) else { return }
                                if answer.status == 200, let id = Self.decisionID(answer.body) { await received.add(id) }
                            }
                        }
                    }
                }
            }
            // Kill at a different point of the load each round.
            try await Task.sleep(for: .milliseconds(120 + 23 * round))
            _ = server.stop(SIGKILL)
            // Every worker stops at its first failed request. (Cancelling would race
            // FoundationNetworking's own failure path, which can deadlock.)
            await load.value
        }
        let verify = try CLI.run(["audit", "verify", "--data", data])
        let export = try CLI.run(["audit", "export", "--data", data])
        var recorded: [String: Int] = [:]
        for line in export.stdout.split(separator: "\n") {
            if let id = Self.decisionID(String(line)) { recorded[id, default: 0] += 1 }
        }
        let ids = await received.ids
        let integrity = try await DatabaseQueue(path: data + "/writ.sqlite").read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check")
        }
        print("audit crash (durability \(durability)): \(ids.count) decisions received over \(Self.rounds) SIGKILLs, \(recorded.count) decision records")
        #expect(ids.count > Self.rounds)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(ids.filter { recorded[$0] != 1 } == [])
        #expect(recorded.values.filter { $0 != 1 }.count == 0)
        #expect(integrity == ["ok"])
    }

    /// Alice's evaluation, given up after two seconds (a killed server may leave a
    /// connection half open).
    static func evaluate(_ baseURL: String) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: try #require(URL(string: baseURL + "/access/v1/evaluation")), timeoutInterval: 2)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(ServeCommand.aliceReads.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// The `decision_id` member of a response or an exported record.
    static func decisionID(_ json: String) -> String? {
        guard let range = json.range(of: #""decision_id":"[^"]+""#, options: .regularExpression) else { return nil }
        return String(json[range].dropFirst(#""decision_id":""#.count).dropLast())
    }
}
