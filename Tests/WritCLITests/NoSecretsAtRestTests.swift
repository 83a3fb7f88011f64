import Foundation
import Testing

/// Issue 7: no credential or key secret lands in the database, the logs or the
/// metrics. A real `writ serve` is driven through keys, tasks, delegation, decisions
/// (credentials in the header and in `context.task_token`), audit queries and a close;
/// then every file of its data directory, everything it printed, its metrics and the
/// exported audit log are searched for every secret used.
@Suite struct NoSecretsAtRest {
    @Test func noAPIKeyOrTaskCredentialIsFoundInTheDataDirectoryTheLogsTheMetricsOrTheAuditExport() async throws {
        let data = try TaskCommand.dataDirectory()
        let key = try CLI.run([
            "keys", "create", "--name", "front-end", "--scope", "tasks", "--scope", "decide", "--scope", "manage",
            "--scope", "audit", "--data", data,
        ]).stdout.trimmingCharacters(in: .newlines)
        let server = try ServerProcess(["--data", data])
        let environment = ["WRIT_API_KEY": key]
        let opened = try TaskCommand.open(["--mandate", TaskCommand.mandate, "--server", server.baseURL], environment: environment)
        let credential = opened.stdout.trimmingCharacters(in: .newlines)
        let inHeader = try await server.request(
            "POST", "/access/v1/evaluation", json: TaskServerCommand.search(credential), key: key)
        let delegated = try CLI.run(
            ["task", "delegate", "--agent", "support-bot", "--purpose", "search only",
             "--mandate", TaskCommand.mandate, "--server", server.baseURL],
            environment: ["WRIT_TASK_CREDENTIAL": credential]).stdout.trimmingCharacters(in: .newlines)
        let childDecision = try await server.request(
            "POST", "/access/v1/evaluation", json: TaskServerCommand.search(delegated), key: key)
        let wrongKey = try await server.request(
            "POST", "/access/v1/evaluation", json: TaskServerCommand.search(credential), key: key + "0")
        let audit = try await server.request("GET", "/v1/audit?limit=1000", key: key)
        let metrics = try await server.request("GET", "/metrics", key: key)
        _ = try CLI.run(["task", "close", TaskCommand.taskID(opened), "--server", server.baseURL], environment: environment)
        let stopped = server.stopCollecting()
        let export = try CLI.run(["audit", "export", "--data", data])

        let secrets = Self.secrets(key: key, credentials: [credential, delegated])
        var places: [(name: String, bytes: [UInt8])] = [
            ("server stdout", Array(stopped.stdout.utf8)), ("server stderr", Array(stopped.stderr.utf8)),
            ("metrics", Array(metrics.body.utf8)), ("GET /v1/audit", Array(audit.body.utf8)),
            ("audit export", Array(export.stdout.utf8)),
        ]
        for file in try FileManager.default.subpathsOfDirectory(atPath: data) {
            if let bytes = FileManager.default.contents(atPath: data + "/" + file) { places.append((file, Array(bytes))) }
        }
        let hits = places.flatMap { place in
            secrets.filter { place.bytes.contains(subsequence: Array($0.value.utf8)) }.map { "\($0.name) in \(place.name)" }
        }
        #expect(TaskCommand.isCredential(credential + "\n"))
        #expect(TaskCommand.isCredential(delegated + "\n"))
        #expect(inHeader.body.hasPrefix(#"{"decision":true"#))
        #expect(childDecision.body.hasPrefix(#"{"decision":true"#))
        #expect(wrongKey.status == 401)
        #expect(audit.status == 200)
        #expect(export.stdout.contains(#""kind":"task.delegated""#))
        #expect(metrics.status == 200)
        #expect(places.count > 5)
        // The search finds a secret where one is: the credential `writ task open` printed.
        #expect(Array(opened.stdout.utf8).contains(subsequence: Array(credential.utf8)))
        #expect(hits == [])
    }

    /// Each secret and the parts that are secret on their own: the API key and its
    /// secret part, each task credential and its signature.
    static func secrets(key: String, credentials: [String]) -> [(name: String, value: String)] {
        var secrets = [(name: "API key", value: key)]
        if let secretPart = key.split(separator: "_").last { secrets.append(("API key secret", String(secretPart))) }
        for (index, credential) in credentials.enumerated() {
            secrets.append(("credential \(index + 1)", credential))
            if let signature = credential.split(separator: ".").last {
                secrets.append(("credential \(index + 1) signature", String(signature)))
            }
        }
        return secrets
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in these bytes.
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        let first = needle[0]
        var index = 0
        while let start = self[index...].firstIndex(of: first), start + needle.count <= count {
            if self[start..<(start + needle.count)].elementsEqual(needle) { return true }
            index = start + 1
        }
        return false
    }
}
