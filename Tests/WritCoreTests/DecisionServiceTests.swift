import Cedar
import Testing
import WritCore

/// The decision service over a real (in-memory) store: loading, readiness, strict
/// mode, and administration that is checked before it is stored.
@Suite struct DecisionServiceTests {
    static let schema = SchemaSource(format: .cedar, file: SourceFile(name: "app.cedarschema", text: """
        entity User { level: Long };
        entity Doc { secret?: Bool };
        action read appliesTo { principal: User, resource: Doc };
        """))
    static let permitAll = SourceFile(name: "permit.cedar", text: """
        @id("levels") permit(principal, action == Action::"read", resource) when { principal.level > 1 };
        """)
    static let guardrail = SourceFile(name: "guard.cedar", text: """
        @id("no-secrets") forbid(principal, action, resource) when { resource has secret && resource.secret };
        """)
    /// The same guardrail written carelessly: it errors on a Doc without `secret`.
    /// (The validator would reject it, so it is served without a schema.)
    static let carelessGuardrail = SourceFile(name: "guard.cedar", text: """
        @id("no-secrets") forbid(principal, action, resource) when { resource.secret };
        """)
    static let entities = Array("""
        [{"uid": {"type": "User", "id": "alice"}, "attrs": {"level": 5}, "parents": []},
         {"uid": {"type": "Doc", "id": "d1"}, "attrs": {}, "parents": []},
         {"uid": {"type": "Doc", "id": "d2"}, "attrs": {"secret": true}, "parents": []}]
        """.utf8)

    let alice = EntityUID("User", "alice")
    let read = EntityUID("Action", "read")

    func service(mode: DecisionMode = .strict, files: [SourceFile] = [permitAll, guardrail]) async throws -> DecisionService {
        let service = DecisionService(store: MemoryStore(), configuration: .init(mode: mode))
        let stored = try await service.bootstrap(
            PolicySetDraft(files: files, schema: Self.schema, author: "test"), entities: Self.entities)
        #expect(stored)
        return service
    }

    @Test func aServiceWithoutPolicySetIsNotReadyAndDeniesWithNotReady() async throws {
        let service = DecisionService(store: MemoryStore())
        await #expect(throws: WritError(.notReady, "")) { try await service.reload() }
        #expect(throws: WritError(.notReady, "")) {
            try service.decide(Request(principal: alice, action: read, resource: EntityUID("Doc", "d1")))
        }
        guard case .notReady = service.readiness else {
            Issue.record("expected not ready")
            return
        }
    }

    @Test func bootstrapStoresVersionOneAndBecomesReady() async throws {
        let service = try await service()
        guard case .ready(let version) = service.readiness else {
            Issue.record("expected ready")
            return
        }
        #expect(version.version == 1)
        #expect(version.author == "test")
    }

    @Test func bootstrapDoesNothingWhenTheStoreHasAPolicySet() async throws {
        let service = try await service()
        let again = try await service.bootstrap(
            PolicySetDraft(files: [], schema: nil, author: "other"), entities: nil)
        #expect(!again)
        #expect(try service.engine().version.version == 1)
    }

    @Test func aPermitWithSatisfiedConditionAllowsAndNamesThePolicy() async throws {
        let decision = try await service().decide(Request(principal: alice, action: read, resource: EntityUID("Doc", "d1")))
        #expect(decision.allowed)
        #expect(decision.reasons == ["levels"])
        #expect(decision.policySetVersion == 1)
    }

    @Test func strictModeDeniesWhenAForbidGuardrailErrors() async throws {
        let service = DecisionService(store: MemoryStore(), configuration: .init(mode: .strict))
        try await service.bootstrap(PolicySetDraft(files: [Self.permitAll, Self.carelessGuardrail], schema: nil, author: "t"), entities: Self.entities)
        let decision = try service.decide(Request(principal: alice, action: read, resource: EntityUID("Doc", "d1")))
        #expect(!decision.allowed)
        #expect(decision.failedGuardrails == ["no-secrets"])
        #expect(decision.reasons == [])
        #expect(decision.errors.map(\.policyID) == ["no-secrets"])
        #expect(decision.mode == .strict)
    }

    @Test func cedarCompatModeSkipsAForbidThatErrors() async throws {
        let service = DecisionService(store: MemoryStore(), configuration: .init(mode: .cedarCompat))
        try await service.bootstrap(PolicySetDraft(files: [Self.permitAll, Self.carelessGuardrail], schema: nil, author: "t"), entities: Self.entities)
        let decision = try service.decide(Request(principal: alice, action: read, resource: EntityUID("Doc", "d1")))
        #expect(decision.allowed)
        #expect(decision.failedGuardrails == [])
        #expect(decision.errors.map(\.policyID) == ["no-secrets"])
        #expect(decision.mode == .cedarCompat)
    }

    @Test func requestEntitiesTakeThePlaceOfStoredOnes() async throws {
        let service = try await service()
        let doc = EntityUID("Doc", "fresh")
        let denied = try service.decide(
            Request(principal: alice, action: read, resource: doc),
            requestEntities: [Entity(uid: doc, attributes: Record([("secret", .bool(true))]))])
        #expect(!denied.allowed)
        #expect(denied.reasons == ["no-secrets"])
    }

    @Test func anInvalidPolicyUploadLeavesThePreviousVersionActive() async throws {
        let service = try await service()
        await #expect(throws: WritError(.policyParseError, "")) {
            try await service.replacePolicies([SourceFile(name: "bad.cedar", text: "permit(")], author: "mallory")
        }
        #expect(try service.engine().version.version == 1)
        #expect(try await service.store.latestPolicySet()?.version == 1)
    }

    @Test func policiesThatFailValidationAreNotStored() async throws {
        let service = try await service()
        await #expect(throws: WritError(.policyValidationError, "")) {
            try await service.replacePolicies([SourceFile(name: "typo.cedar", text: """
                permit(principal, action, resource) when { principal.levl > 1 };
                """)], author: "mallory")
        }
        #expect(try await service.store.latestPolicySet()?.version == 1)
    }

    @Test func aValidUploadBecomesTheNextVersionWithItsAuthor() async throws {
        let service = try await service()
        let record = try await service.replacePolicies([Self.permitAll], author: "alice-admin", comment: "drop guardrail")
        #expect(record.version == 2)
        #expect(record.author == "alice-admin")
        #expect(record.comment == "drop guardrail")
        #expect(try service.engine().version.version == 2)
        let decision = try service.decide(Request(principal: alice, action: read, resource: EntityUID("Doc", "d2")))
        #expect(decision.allowed)
    }

    @Test func aStaleExpectedVersionIsAConflict() async throws {
        let service = try await service()
        await #expect(throws: WritError(.conflict, "")) {
            try await service.replacePolicies([Self.permitAll], author: "a", expectedVersion: 7)
        }
    }

    @Test func rollbackAppendsTheOldContentAsANewVersion() async throws {
        let service = try await service()
        _ = try await service.replacePolicies([Self.permitAll], author: "a")
        let rolled = try await service.rollback(to: 1, author: "b")
        #expect(rolled.version == 3)
        #expect(rolled.digest == (try await service.store.policySet(version: 1))?.digest)
        #expect(rolled.comment == "roll back to version 1")
        #expect(try service.engine().compiled.policies.policies.map(\.id) == ["levels", "no-secrets"])
    }

    @Test func rollbackToAnUnknownVersionIsNotFound() async throws {
        await #expect(throws: WritError(.notFound, "")) {
            try await service().rollback(to: 42, author: "a")
        }
    }

    @Test func aSchemaTheStoredEntitiesDoNotConformToIsRejected() async throws {
        let service = try await service()
        let stricter = SchemaSource(format: .cedar, file: SourceFile(name: "s.cedarschema", text: """
            entity User { level: Long };
            entity Doc { secret: Bool };
            action read appliesTo { principal: User, resource: Doc };
            """))
        await #expect(throws: WritError(.invalidEntities, "")) {
            try await service.replaceSchema(stricter, author: "a")
        }
        #expect(try service.engine().version.version == 1)
    }

    @Test func upsertedEntitiesAreCheckedAgainstTheSchemaAllOrNone() async throws {
        let service = try await service()
        let document = Array("""
            [{"uid": {"type": "User", "id": "bob"}, "attrs": {"level": 2}, "parents": []},
             {"uid": {"type": "User", "id": "eve"}, "attrs": {"level": "high"}, "parents": []}]
            """.utf8)
        await #expect(throws: WritError(.invalidEntities, "")) { try await service.upsertEntities(document) }
        #expect(try await service.store.allEntities().map(\.id) == ["d1", "d2", "alice"])
    }

    @Test func upsertedEntitiesAreUsedByTheNextDecision() async throws {
        let service = try await service()
        let count = try await service.upsertEntities(Array("""
            [{"uid": {"type": "User", "id": "bob"}, "attrs": {"level": 2}, "parents": []}]
            """.utf8))
        #expect(count == 1)
        let decision = try service.decide(Request(principal: EntityUID("User", "bob"), action: read, resource: EntityUID("Doc", "d1")))
        #expect(decision.allowed)
    }

    @Test func deletedEntitiesNoLongerDecide() async throws {
        let service = try await service()
        let deleted = try await service.deleteEntities([StoredEntityKey(type: "User", id: "alice"), StoredEntityKey(type: "User", id: "ghost")])
        #expect(deleted == 1)
        let decision = try service.decide(Request(principal: alice, action: read, resource: EntityUID("Doc", "d1")))
        #expect(!decision.allowed)
    }

    @Test func anEntitiesDocumentThatIsNotAnArrayIsAWrongTypeError() async throws {
        await #expect(throws: WritError(.wrongType, "")) {
            try await service().upsertEntities(Array(#"{"uid": {"type": "User", "id": "x"}}"#.utf8))
        }
    }

    @Test func duplicateKeysInAnEntitiesDocumentAreRejected() async throws {
        await #expect(throws: WritError(.duplicateKey, "")) {
            try await service().upsertEntities(Array(#"[{"uid": {"type": "User", "id": "x", "id": "y"}, "attrs": {}, "parents": []}]"#.utf8))
        }
    }

    @Test func theSameEntityTwiceInOneDocumentIsRejected() async throws {
        await #expect(throws: WritError(.invalidEntities, "")) {
            try await service().upsertEntities(Array("""
                [{"uid": {"type": "User", "id": "x"}, "attrs": {"level": 1}, "parents": []},
                 {"uid": {"type": "User", "id": "x"}, "attrs": {"level": 2}, "parents": []}]
                """.utf8))
        }
    }

    @Test func reloadReadsWhatTheStoreHolds() async throws {
        let store = MemoryStore()
        let first = DecisionService(store: store)
        try await first.bootstrap(PolicySetDraft(files: [Self.permitAll], schema: Self.schema, author: "t"), entities: Self.entities)
        let second = DecisionService(store: store)
        try await second.reload()
        #expect(try second.engine().version.digest == first.engine().version.digest)
        #expect(try second.decide(Request(principal: alice, action: read, resource: EntityUID("Doc", "d1"))).allowed)
    }

    @Test func concurrentEntityUpsertsAllLand() async throws {
        let service = try await service()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<20 {
                group.addTask {
                    try await service.upsertEntities(Array("""
                        [{"uid": {"type": "User", "id": "u\(n)"}, "attrs": {"level": 2}, "parents": []}]
                        """.utf8))
                }
            }
            for try await _ in group {}
        }
        let users = try service.engine().entities.uids(ofType: EntityType("User")).count
        #expect(users == 21)
        #expect(try await service.store.allEntities().count == 23)
    }
}
