import Foundation
import Testing

/// `writ keys rotate`: a new signing key for task credentials; the old one keeps
/// verifying through its grace period.
@Suite struct KeysRotateCommand {
    static func kids(_ jwks: String) throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Data(jwks.utf8)) as? [String: Any]
        return (object?["keys"] as? [[String: Any]] ?? []).compactMap { $0["kid"] as? String }.sorted()
    }

    @Test func aRotatedKeyIsPublishedBesideTheRetiredOneAfterARestart() async throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let first = try ServerProcess(["--from", try ServeCommand.policyDirectory(), "--data", data])
        let before = try Self.kids(try await first.request("GET", "/.well-known/jwks.json").body)
        #expect(first.stop().status == 0)

        let rotated = try CLI.run(["keys", "rotate", "--data", data])
        #expect(rotated.status == 0)
        let newKey = rotated.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(rotated.stderr == "retired \(before.joined(separator: ", "))\n")

        let second = try ServerProcess(["--data", data])
        let after = try Self.kids(try await second.request("GET", "/.well-known/jwks.json").body)
        #expect(second.stop().status == 0)
        #expect(before.count == 1)
        #expect(after == (before + [newKey]).sorted())
    }

    @Test func rotatingWithoutADataDirectoryStoreStillCreatesOne() throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let rotated = try CLI.run(["keys", "rotate", "--data", data])
        #expect(rotated.status == 0)
        #expect(rotated.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == false)
        #expect(rotated.stderr.isEmpty)
    }
}
