import Cedar
import Testing
import WritCore

/// The Search APIs over the search example: results, their order and shape, and
/// pagination with tokens bound to the query.
@Suite struct AuthZENSearchTests {
    private func resourceSearch(_ user: String, _ action: String, page: String = "") -> String {
        #"{"subject": {"type": "user", "id": "\#(user)"}, "action": {"name": "\#(action)"}, "resource": {"type": "record"}\#(page)}"#
    }

    private func ids(_ response: JSON) -> [String] {
        guard case .array(let results)? = response["results"] else { return [] }
        return results.compactMap { result in
            if case .string(let id)? = result["id"] { return id }
            return nil
        }
    }

    private func nextToken(_ response: JSON) -> String? {
        if case .string(let token)? = response["page"]?["next_token"] { return token }
        return nil
    }

    @Test func resultsComeInUidOrderWithPageFirstAndTypeBeforeID() async throws {
        let service = try await TestService.example("authzen-search")
        let text = try service.authzenText(.resourceSearch, resourceSearch("erin", "view"))
        #expect(text == #"{"page":{"next_token":"","count":4,"total":4},"context":{"policy_set_version":1,"mode":"strict"},"results":[{"type":"record","id":"105"},{"type":"record","id":"111"},{"type":"record","id":"115"},{"type":"record","id":"117"}]}"#)
    }

    @Test func actionSearchAnswersTheSchemaActionsInUidOrder() async throws {
        let service = try await TestService.example("authzen-search")
        let response = try service.authzenJSON(
            .actionSearch, #"{"subject": {"type": "user", "id": "dan"}, "resource": {"type": "record", "id": "115"}}"#)
        #expect(response["results"] == (try .literal(#"[{"name": "edit"}, {"name": "view"}]"#)))
    }

    @Test func subjectSearchIgnoresTheSearchedID() async throws {
        let service = try await TestService.example("authzen-search")
        let body = #"{"subject": {"type": "user", "id": "nobody", "properties": {"role": "manager"}}, "action": {"name": "edit"}, "resource": {"type": "record", "id": "115"}}"#
        #expect(ids(try service.authzenJSON(.subjectSearch, body)) == ["carol", "dan"])
    }

    @Test func unknownUserRecordOrActionGiveNoResults() async throws {
        let service = try await TestService.example("authzen-search")
        #expect(ids(try service.authzenJSON(.resourceSearch, resourceSearch("zed", "view"))) == [])
        #expect(ids(try service.authzenJSON(.resourceSearch, resourceSearch("alice", "print"))) == [])
        let unknownRecord = #"{"subject": {"type": "user"}, "action": {"name": "view"}, "resource": {"type": "record", "id": "999"}}"#
        #expect(ids(try service.authzenJSON(.subjectSearch, unknownRecord)) == [])
        let actions = #"{"subject": {"type": "user", "id": "alice"}, "resource": {"type": "record", "id": "999"}}"#
        #expect(try service.authzenJSON(.actionSearch, actions)["results"] == .array([]))
    }

    @Test func pagesTogetherGiveEveryResultOnce() async throws {
        let service = try await TestService.example("authzen-search")
        let all = ids(try service.authzenJSON(.resourceSearch, resourceSearch("alice", "view")))
        #expect(all.count == 20)
        var collected: [String] = []
        var counts: [JSON?] = []
        var token = ""
        repeat {
            let page = token.isEmpty ? #", "page": {"limit": 7}"# : #", "page": {"limit": 7, "token": "\#(token)"}"#
            let response = try service.authzenJSON(.resourceSearch, resourceSearch("alice", "view", page: page))
            collected += ids(response)
            counts.append(response["page"]?["count"])
            #expect(response["page"]?["total"] == .number(JSONNumber(20)))
            token = try #require(nextToken(response))
        } while !token.isEmpty && collected.count <= 20
        #expect(collected == all)
        #expect(counts == [.number(JSONNumber(7)), .number(JSONNumber(7)), .number(JSONNumber(6))])
    }

    /// The first page of alice's `view` search, two results long, and its next token.
    private func firstPageToken(_ service: DecisionService) throws -> String {
        try #require(nextToken(try service.authzenJSON(.resourceSearch, resourceSearch("alice", "view", page: #", "page": {"limit": 2}"#))))
    }

    @Test func aTokenWithAChangedQueryIsRejected() async throws {
        let service = try await TestService.example("authzen-search")
        let token = try firstPageToken(service)
        #expect(service.authzenError(.resourceSearch, resourceSearch("alice", "view", page: #", "page": {"limit": 2, "token": "\#(token)"}"#)) == nil)
        let changedAction = service.authzenError(
            .resourceSearch, resourceSearch("alice", "edit", page: #", "page": {"limit": 2, "token": "\#(token)"}"#))
        #expect(changedAction?.code == .invalidPageToken)
        let changedLimit = service.authzenError(
            .resourceSearch, resourceSearch("alice", "view", page: #", "page": {"limit": 3, "token": "\#(token)"}"#))
        #expect(changedLimit?.code == .invalidPageToken)
        let otherOperation = #"{"subject": {"type": "user"}, "action": {"name": "view"}, "resource": {"type": "record", "id": "101"}, "page": {"limit": 2, "token": "\#(token)"}}"#
        #expect(service.authzenError(.subjectSearch, otherOperation)?.code == .invalidPageToken)
    }

    @Test func garbageAndTamperedTokensAreRejected() async throws {
        let service = try await TestService.example("authzen-search")
        let token = try firstPageToken(service)
        var tampered = Array(token)
        tampered[3] = tampered[3] == "A" ? "B" : "A"
        for bad in ["abc", "!!!!", String(repeating: "A", count: 5_000), String(tampered), token + "A", "\u{202E}"] {
            let error = service.authzenError(
                .resourceSearch, resourceSearch("alice", "view", page: #", "page": {"limit": 2, "token": "\#(bad)"}"#))
            #expect(error?.code == .invalidPageToken, "token \(bad.prefix(20))")
        }
    }

    @Test func aTokenFromAnEarlierPolicySetVersionIsRejected() async throws {
        let service = try await TestService.example("authzen-search")
        let token = try firstPageToken(service)
        let current = try await service.store.latestPolicySet()
        _ = try await service.replacePolicies(try #require(current).files, author: "test", comment: "same rules again")
        let error = service.authzenError(
            .resourceSearch, resourceSearch("alice", "view", page: #", "page": {"limit": 2, "token": "\#(token)"}"#))
        #expect(error?.code == .invalidPageToken)
        #expect(error?.message.contains("policy set version 1") == true)
    }

    @Test func aLimitAboveTheMaximumIsLoweredToIt() async throws {
        let service = try await TestService.example("authzen-search", limits: RequestLimits(maxSearchPageSize: 5))
        let response = try service.authzenJSON(.resourceSearch, resourceSearch("alice", "view", page: #", "page": {"limit": 100}"#))
        #expect(response["page"]?["count"] == .number(JSONNumber(5)))
        let unlimited = try service.authzenJSON(.resourceSearch, resourceSearch("alice", "view"))
        #expect(unlimited["page"]?["count"] == .number(JSONNumber(5)))
    }

    @Test func aLimitThatIsNotANonNegativeIntegerIsRejected() async throws {
        let service = try await TestService.example("authzen-search")
        for limit in ["1.0", "-1", "1e2", "-0", "9223372036854775808"] {
            let error = service.authzenError(.resourceSearch, resourceSearch("alice", "view", page: #", "page": {"limit": \#(limit)}"#))
            #expect(error?.code == .invalidNumber, "limit \(limit)")
        }
        let text = service.authzenError(.resourceSearch, resourceSearch("alice", "view", page: #", "page": {"limit": "5"}"#))
        #expect(text?.code == .wrongType)
        #expect(text?.message == "`page.limit` must be a non-negative integer, found a string")
    }

    @Test func actionSearchWithoutASchemaTriesTheActionsPoliciesName() async throws {
        let service = try await TestService.make(policies: """
            @id("read") permit (principal, action == Action::"read", resource);
            @id("write") permit (principal, action in [Action::"write", Action::"append"], resource) when { false };
            @id("anything-in-admin") forbid (principal, action in Action::"admin", resource);
            """)
        let response = try service.authzenJSON(.actionSearch, #"{"subject": {"type": "user", "id": "a"}, "resource": {"type": "doc", "id": "1"}}"#)
        #expect(response["results"] == (try .literal(#"[{"name": "read"}]"#)))
    }

    @Test func actionSearchAnswersUnderEveryMappedName() async throws {
        let mapping = AuthZENMapping(actions: ["can_read": "read", "can_view": "read"])
        let service = try await TestService.make(
            policies: #"@id("read") permit (principal, action == Action::"read", resource);"#, mapping: mapping)
        let response = try service.authzenJSON(.actionSearch, #"{"subject": {"type": "user", "id": "a"}, "resource": {"type": "doc", "id": "1"}}"#)
        // `read` itself still names the action by the default rule.
        #expect(response["results"] == (try .literal(#"[{"name": "can_read"}, {"name": "can_view"}, {"name": "read"}]"#)))
    }
}
