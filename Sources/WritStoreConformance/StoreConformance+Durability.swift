import Foundation
import Testing
import WritCore

extension StoreConformance {
    static let durability: [StoreConformanceCase] = [
        .init("durable: policy versions survive reopening, and numbering continues", requires: .durable) { store, harness in
            let records = try await appendVersions(3, to: store)
            let reopened = try await harness.openStore()
            for record in records {
                #expect(Exact.text(try await reopened.policySet(version: record.version) as Any) == Exact.text(record))
            }
            let stale = await #expect(throws: WritError.self) {
                try await reopened.appendPolicySet(Fixtures.draft(9), expectedLatest: 2)
            }
            #expect(stale?.code == .conflict)
            #expect(try await reopened.appendPolicySet(Fixtures.draft(4), expectedLatest: 3).version == 4)
        },
        .init("durable: entities and their revision survive reopening", requires: .durable) { store, harness in
            let entities = [Fixtures.entity("User", "caf\u{E9}"), Fixtures.entity("User", "cafe\u{301}")]
            try await store.upsertEntities(entities)
            let revision = try await store.entityRevision()
            let reopened = try await harness.openStore()
            #expect(Exact.text(try await reopened.allEntities()) == Exact.text([entities[1], entities[0]]))
            #expect(try await reopened.entityRevision() == revision)
            try await reopened.upsertEntities([Fixtures.entity("User", "bob")])
            #expect(try await reopened.entityRevision() != revision)
        },
        .init("durable: API keys and revocations survive reopening", requires: .durable) { store, harness in
            try await store.insertAPIKey(Fixtures.key("k1", createdAt: 1))
            try await store.insertAPIKey(Fixtures.key("k2", createdAt: 2))
            #expect(try await store.revokeAPIKey(id: "k2", at: Fixtures.date(7)))
            let reopened = try await harness.openStore()
            var revoked = Fixtures.key("k2", createdAt: 2)
            revoked.revokedAt = Fixtures.date(7)
            #expect(Exact.text(try await reopened.allAPIKeys()) == Exact.text([Fixtures.key("k1", createdAt: 1), revoked]))
            #expect(try await reopened.revokeAPIKey(id: "k2", at: Fixtures.date(8)) == false)
        },
    ]
}
