import Foundation
import Testing

@Suite struct KeysCommand {
    @Test func aKeyIsCreatedListedAndRevoked() throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let created = try CLI.run(["keys", "create", "--name", "pep", "--scope", "decide", "--data", data])
        let token = created.stdout.trimmingCharacters(in: .newlines)
        let id = token.split(separator: "_").dropFirst().first.map(String.init) ?? ""
        let listed = try CLI.run(["keys", "list", "--data", data])
        let revoked = try CLI.run(["keys", "revoke", id, "--data", data])
        let after = try CLI.run(["keys", "list", "--data", data])
        #expect(created.status == 0)
        #expect(token.range(of: "^writ_[0-9a-f]{16}_[0-9a-f]{64}$", options: .regularExpression) != nil)
        #expect(listed.stdout.contains(id) && listed.stdout.contains("pep") && listed.stdout.contains("decide"))
        #expect(!listed.stdout.contains(String(token.suffix(64))))
        #expect(revoked.status == 0)
        #expect(after.stdout.split(separator: "\n").last?.hasSuffix("-") == false)
    }

    @Test func revokingAnUnknownKeyIsBadInput() throws {
        let run = try CLI.run(["keys", "revoke", "0123456789abcdef", "--data", FileManagerHelpers.temporaryDirectory()])
        #expect(run.status == 1)
        #expect(run.stderr.contains("no unrevoked key"))
    }

    @Test func aKeyNeedsAScope() throws {
        let run = try CLI.run(["keys", "create", "--name", "pep", "--data", FileManagerHelpers.temporaryDirectory()])
        #expect(run.status != 0)
    }

    @Test func anUnknownScopeIsRefused() throws {
        let run = try CLI.run(["keys", "create", "--name", "pep", "--scope", "root", "--data", FileManagerHelpers.temporaryDirectory()])
        #expect(run.status != 0)
    }

    @Test func aServerOnTheDataDirectoryRequiresAKeyOnceOneWasCreatedEvenAfterItIsRevoked() async throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let directory = try ServeCommand.policyDirectory()
        let token = try CLI.run(["keys", "create", "--name", "admin", "--scope", "manage", "--data", data])
            .stdout.trimmingCharacters(in: .newlines)
        let locked = try ServerProcess(["--from", directory, "--data", data])
        let without = try await locked.request("GET", "/v1/policies")
        let with = try await locked.request("GET", "/v1/policies", key: token)
        #expect(locked.stop().status == 0)
        let id = token.split(separator: "_").dropFirst().first.map(String.init) ?? ""
        _ = try CLI.run(["keys", "revoke", id, "--data", data])
        let stillLocked = try ServerProcess(["--data", data])
        let afterRevoking = try await stillLocked.request("GET", "/v1/policies", key: token)
        #expect(stillLocked.stop().status == 0)
        #expect(without.status == 401)
        #expect(with.status == 200)
        #expect(afterRevoking.status == 401)
    }
}
