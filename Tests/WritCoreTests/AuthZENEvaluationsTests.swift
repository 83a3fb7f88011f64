import Cedar
import Testing
import WritCore

/// Batches: top-level defaults and item overrides, the three evaluation semantics,
/// and the limits of a batch.
@Suite struct AuthZENEvaluationsTests {
    /// Documents 1 and 3 are open, 2 is secret; only document 3 may be edited; nobody
    /// reads after hour 22.
    static let policies = """
        @id("read-open-documents")
        permit (principal, action == Action::"read", resource) unless { resource.secret };
        @id("edit-document-3")
        permit (principal, action == Action::"edit", resource == document::"3");
        @id("no-reading-at-night")
        forbid (principal, action == Action::"read", resource) when { context has hour && context.hour > 22 };
        """
    static let entities = """
        [
          {"uid": {"type": "user", "id": "alice"}, "attrs": {}, "parents": []},
          {"uid": {"type": "document", "id": "1"}, "attrs": {"secret": false}, "parents": []},
          {"uid": {"type": "document", "id": "2"}, "attrs": {"secret": true}, "parents": []},
          {"uid": {"type": "document", "id": "3"}, "attrs": {"secret": false}, "parents": []}
        ]
        """

    private func service(limits: RequestLimits = RequestLimits()) async throws -> DecisionService {
        try await TestService.make(policies: Self.policies, entities: Self.entities, limits: limits)
    }

    /// A batch reading documents `ids` as alice, with `options` when given.
    private func batch(_ ids: [String], semantic: String? = nil) -> String {
        let items = ids.map { #"{"resource": {"type": "document", "id": "\#($0)"}}"# }.joined(separator: ",")
        let options = semantic.map { #", "options": {"evaluations_semantic": "\#($0)"}"# } ?? ""
        return #"{"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"}, "evaluations": [\#(items)]\#(options)}"#
    }

    @Test func aBatchIsAnsweredInTheEncodersExactForm() async throws {
        let text = try await service().authzenText(.evaluations, batch(["1", "2", "3"]))
        #expect(text == #"{"evaluations":[{"decision":true},{"decision":false},{"decision":true}],"context":{"policy_set_version":1,"mode":"strict"}}"#)
    }

    @Test func theItemThatStopsADenyOnFirstDenyBatchIsWrittenWithItsReason() async throws {
        let text = try await service().authzenText(.evaluations, batch(["1", "2", "3"], semantic: "deny_on_first_deny"))
        #expect(text == #"{"evaluations":[{"decision":true},{"decision":false,"context":{"code":"200","reason":"deny_on_first_deny"}}],"context":{"policy_set_version":1,"mode":"strict"}}"#)
    }

    @Test func aBatchOfPlainAndReportingItemsReadsBackToTheSameBytes() async throws {
        let body = """
            {"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"}, "context": {"hour": 23},
             "evaluations": [
               {"resource": {"type": "document", "id": "1"}},
               {"resource": {"type": "document", "id": "3"}, "context": {"hour": 10}},
               {"action": {"name": "edit"}, "resource": {"type": "document", "id": "3"}},
               {"resource": {"type": "document", "id": "2"}, "context": {"hour": 10}},
               {"resource": {"type": "document", "id": "1"}, "context": {"hour": "late"}}]}
            """
        let bytes = try await service().authzen(.evaluations, body: Array(body.utf8)).body
        #expect(try JSON.parse(bytes).encodedBytes() == bytes)
        // Items written as `{"decision": bool}` and an item with something to report, alike.
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"evaluations":[{"decision":false},{"decision":true},{"decision":true},{"decision":false},{"decision":false,"context":{"errors":[{"policy":"no-reading-at-night","message":"#))
    }

    @Test func itemsTakeTheTopLevelSubjectAndAction() async throws {
        let response = try await service().authzenJSON(.evaluations, batch(["1", "2", "3"]))
        #expect(response["evaluations"] == (try .literal(#"[{"decision": true}, {"decision": false}, {"decision": true}]"#)))
    }

    @Test func anItemActionOverridesTheDefault() async throws {
        let body = """
            {"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"},
             "evaluations": [
               {"resource": {"type": "document", "id": "1"}},
               {"action": {"name": "edit"}, "resource": {"type": "document", "id": "1"}},
               {"action": {"name": "edit"}, "resource": {"type": "document", "id": "3"}}]}
            """
        let response = try await service().authzenJSON(.evaluations, body)
        #expect(response["evaluations"] == (try .literal(#"[{"decision": true}, {"decision": false}, {"decision": true}]"#)))
    }

    @Test func anItemContextReplacesTheDefaultContext() async throws {
        let body = """
            {"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"}, "context": {"hour": 23},
             "evaluations": [
               {"resource": {"type": "document", "id": "1"}},
               {"resource": {"type": "document", "id": "1"}, "context": {"hour": 10}}]}
            """
        let response = try await service().authzenJSON(.evaluations, body)
        #expect(response["evaluations"] == (try .literal(#"[{"decision": false}, {"decision": true}]"#)))
    }

    @Test func itemsNeedNoDefaultsWhenTheyNameEverything() async throws {
        let body = """
            {"evaluations": [
              {"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"},
               "resource": {"type": "document", "id": "2"}}]}
            """
        let response = try await service().authzenJSON(.evaluations, body)
        #expect(response["evaluations"] == (try .literal(#"[{"decision": false}]"#)))
    }

    @Test func anUnusedEmptyDefaultResourceIsNotAnError() async throws {
        // The Todo scenario sends `"resource": {}` beside items that all name one.
        let body = """
            {"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"}, "resource": {},
             "evaluations": [{"resource": {"type": "document", "id": "3"}}]}
            """
        let response = try await service().authzenJSON(.evaluations, body)
        #expect(response["evaluations"] == (try .literal(#"[{"decision": true}]"#)))
    }

    @Test func anItemWithoutResourceOrDefaultIsAMissingField() async throws {
        let body = """
            {"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"},
             "evaluations": [{"resource": {"type": "document", "id": "1"}}, {}]}
            """
        let error = try await service().authzenError(.evaluations, body)
        #expect(error?.code == .missingField)
        #expect(error?.message == "missing required member `evaluations[1].resource`, and the request has no top-level `resource`")
    }

    @Test func executeAllAnswersEveryItemInOrder() async throws {
        let outcome = try await service().authzen(.evaluations, body: Array(batch(["2", "1", "2", "3"], semantic: "execute_all").utf8))
        #expect(outcome.decisions == [false, true, false, true])
    }

    @Test func denyOnFirstDenyEndsWithTheFirstDeny() async throws {
        let response = try await service().authzenJSON(.evaluations, batch(["1", "2", "3"], semantic: "deny_on_first_deny"))
        let expected = try JSON.literal(
            #"[{"decision": true}, {"decision": false, "context": {"code": "200", "reason": "deny_on_first_deny"}}]"#)
        #expect(response["evaluations"] == expected)
    }

    @Test func denyOnFirstDenyAnswersEveryItemWhenAllArePermitted() async throws {
        let response = try await service().authzenJSON(.evaluations, batch(["1", "3"], semantic: "deny_on_first_deny"))
        #expect(response["evaluations"] == (try .literal(#"[{"decision": true}, {"decision": true}]"#)))
    }

    @Test func permitOnFirstPermitEndsWithTheFirstPermit() async throws {
        let service = try await service()
        let first = try service.authzenJSON(.evaluations, batch(["1", "2", "3"], semantic: "permit_on_first_permit"))
        #expect(first["evaluations"] == (try .literal(#"[{"decision": true}]"#)))
        let second = try service.authzenJSON(.evaluations, batch(["2", "3", "1"], semantic: "permit_on_first_permit"))
        #expect(second["evaluations"] == (try .literal(#"[{"decision": false}, {"decision": true}]"#)))
    }

    @Test func anUnknownSemanticIsRejected() async throws {
        let error = try await service().authzenError(.evaluations, batch(["1"], semantic: "first_come"))
        #expect(error?.code == .invalidRequest)
        #expect(error?.message.contains("`options.evaluations_semantic` is `first_come`") == true)
    }

    @Test func aMalformedItemFailsTheBatchEvenAfterAShortCircuit() async throws {
        let body = """
            {"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"},
             "options": {"evaluations_semantic": "deny_on_first_deny"},
             "evaluations": [{"resource": {"type": "document", "id": "2"}}, {"resource": {"type": "document"}}]}
            """
        let error = try await service().authzenError(.evaluations, body)
        #expect(error?.code == .missingField)
        #expect(error?.message == "missing required member `evaluations[1].resource.id`")
    }

    @Test func withoutItemsTheRequestIsOneEvaluation() async throws {
        let service = try await service()
        let single = #"{"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"}, "resource": {"type": "document", "id": "1"}"#
        let absent = try service.authzenText(.evaluations, single + "}")
        let empty = try service.authzenText(.evaluations, single + #", "evaluations": []}"#)
        let expected = #"{"decision":true,"context":{"policy_set_version":1,"mode":"strict","reasons":["read-open-documents"]}}"#
        #expect(absent == expected)
        #expect(empty == expected)
    }

    @Test func aBatchAboveTheLimitIsTooLarge() async throws {
        let service = try await service(limits: RequestLimits(maxBatchItems: 2))
        #expect(service.authzenError(.evaluations, batch(["1", "2"])) == nil)
        let error = service.authzenError(.evaluations, batch(["1", "2", "3"]))
        #expect(error?.code == .tooLarge)
        #expect(error?.message == "`evaluations` has 3 items; at most 2 are accepted in one request")
    }

    @Test func theBatchContextCarriesVersionAndModeOnce() async throws {
        let text = try await service().authzenText(.evaluations, batch(["1", "2"]))
        #expect(text == #"{"evaluations":[{"decision":true},{"decision":false}],"context":{"policy_set_version":1,"mode":"strict"}}"#)
    }
}
