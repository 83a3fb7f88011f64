import Foundation
import Testing
import WritCore

@Suite struct MemoryStoreTests {
    @Test func stampsNewVersionsWithTheInjectedClock() async throws {
        let instant = Date(timeIntervalSinceReferenceDate: 123_456.25)
        let store = MemoryStore(now: { instant })
        let draft = PolicySetDraft(files: [SourceFile(name: "a.cedar", text: "")], schema: nil, author: "cli")
        let record = try await store.appendPolicySet(draft, expectedLatest: nil)
        #expect(record.createdAt == instant)
    }

    @Test func aConflictNamesTheExpectedAndTheLatestVersion() async throws {
        let store = MemoryStore()
        let draft = PolicySetDraft(files: [], schema: nil, author: "cli")
        _ = try await store.appendPolicySet(draft, expectedLatest: nil)
        _ = try await store.appendPolicySet(draft, expectedLatest: 1)
        let error = await #expect(throws: WritError.self) {
            try await store.appendPolicySet(draft, expectedLatest: 1)
        }
        #expect(error == WritError(
            .conflict, "the policy set changed: the write expected version `1` as the latest, but the store holds version `2`"))
    }
}

@Suite struct StoredEntityKeyTests {
    @Test func keysDifferingOnlyByNormalisationAreDifferentAndHashApart() {
        let composed = StoredEntityKey(type: "User", id: "caf\u{E9}")
        let decomposed = StoredEntityKey(type: "User", id: "cafe\u{301}")
        #expect(composed != decomposed)
        #expect(Set([composed, decomposed]).count == 2)
        #expect(composed == StoredEntityKey(type: "User", id: "caf\u{E9}"))
    }

    @Test func theTypeAndIdBoundaryIsPartOfTheKey() {
        #expect(StoredEntityKey(type: "ab", id: "c") != StoredEntityKey(type: "a", id: "bc"))
        #expect(Set([StoredEntityKey(type: "ab", id: "c"), StoredEntityKey(type: "a", id: "bc")]).count == 2)
    }

    @Test func entitiesCompareTheirJSONScalarForScalar() {
        let composed = StoredEntity(type: "User", id: "a", json: "\"caf\u{E9}\"")
        let decomposed = StoredEntity(type: "User", id: "a", json: "\"cafe\u{301}\"")
        #expect(composed != decomposed)
        #expect(composed.key == decomposed.key)
    }
}
