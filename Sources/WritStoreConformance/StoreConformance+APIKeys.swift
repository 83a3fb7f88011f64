import Foundation
import Testing
import WritCore

extension StoreConformance {
    static let apiKeys: [StoreConformanceCase] = [
        .init("API keys: an empty store has none") { store async throws in
            #expect(try await store.apiKey(id: "k1") == nil)
            #expect(try await store.allAPIKeys() == [])
        },
        .init("API keys: inserted keys read back exactly, every field") { store in
            let keys = [
                Fixtures.key("k1", createdAt: 1, scopes: []),
                Fixtures.key("k2", createdAt: 2, scopes: [.decide]),
                Fixtures.key("k3", createdAt: 3, scopes: [.decide, .manage], revokedAt: Fixtures.date(9)),
                APIKeyRecord(
                    id: "k4", name: Fixtures.awkwardText, scopes: [.manage], secretDigest: String(repeating: "0f", count: 32),
                    createdAt: Date(timeIntervalSinceReferenceDate: 0)),
            ]
            for key in keys { try await store.insertAPIKey(key) }
            for key in keys {
                #expect(Exact.text(try await store.apiKey(id: key.id) as Any) == Exact.text(key))
            }
            #expect(Exact.text(try await store.allAPIKeys()) == Exact.text([keys[3], keys[0], keys[1], keys[2]]))
        },
        .init("API keys: inserting an existing id is a conflict and keeps the first key") { store in
            let first = Fixtures.key("k1", createdAt: 1, scopes: [.decide])
            try await store.insertAPIKey(first)
            let error = await #expect(throws: WritError.self) {
                try await store.insertAPIKey(Fixtures.key("k1", createdAt: 2, scopes: [.manage]))
            }
            #expect(error?.code == .conflict)
            #expect(Exact.text(try await store.allAPIKeys()) == Exact.text([first]))
        },
        .init("API keys: ids differing only by normalisation are distinct keys") { store in
            let composed = Fixtures.key("caf\u{E9}", createdAt: 1, scopes: [.decide])
            let decomposed = Fixtures.key("cafe\u{301}", createdAt: 2, scopes: [.manage])
            try await store.insertAPIKey(composed)
            try await store.insertAPIKey(decomposed)
            #expect(Exact.text(try await store.apiKey(id: "caf\u{E9}") as Any) == Exact.text(composed))
            #expect(Exact.text(try await store.apiKey(id: "cafe\u{301}") as Any) == Exact.text(decomposed))
            #expect(try await store.revokeAPIKey(id: "cafe\u{301}", at: Fixtures.date(5)))
            #expect(try await store.apiKey(id: "caf\u{E9}")?.revokedAt == nil)
            #expect(try await store.allAPIKeys().count == 2)
        },
        .init("API keys: keys are listed oldest first, then in insertion order") { store in
            let keys = [
                Fixtures.key("late", createdAt: 30), Fixtures.key("early", createdAt: 10),
                Fixtures.key("tie-b", createdAt: 20), Fixtures.key("tie-a", createdAt: 20),
                Fixtures.key("middle", createdAt: 15),
            ]
            for key in keys { try await store.insertAPIKey(key) }
            #expect(try await store.allAPIKeys().map(\.id) == ["early", "middle", "tie-b", "tie-a", "late"])
        },
        .init("API keys: revoking marks only that key revoked, at the given date") { store in
            try await store.insertAPIKey(Fixtures.key("k1", createdAt: 1))
            try await store.insertAPIKey(Fixtures.key("k2", createdAt: 2))
            #expect(try await store.revokeAPIKey(id: "k1", at: Fixtures.date(100)))
            var expected = Fixtures.key("k1", createdAt: 1)
            expected.revokedAt = Fixtures.date(100)
            #expect(Exact.text(try await store.apiKey(id: "k1") as Any) == Exact.text(expected))
            #expect(Exact.text(try await store.apiKey(id: "k2") as Any) == Exact.text(Fixtures.key("k2", createdAt: 2)))
        },
        .init("API keys: revoking twice returns false and keeps the first date") { store in
            try await store.insertAPIKey(Fixtures.key("k1", createdAt: 1))
            try await store.insertAPIKey(Fixtures.key("k2", createdAt: 2, revokedAt: Fixtures.date(50)))
            #expect(try await store.revokeAPIKey(id: "k1", at: Fixtures.date(100)))
            #expect(try await store.revokeAPIKey(id: "k1", at: Fixtures.date(200)) == false)
            #expect(try await store.revokeAPIKey(id: "k2", at: Fixtures.date(200)) == false)
            #expect(try await store.apiKey(id: "k1")?.revokedAt == Fixtures.date(100))
            #expect(try await store.apiKey(id: "k2")?.revokedAt == Fixtures.date(50))
        },
        .init("API keys: revoking an unknown id returns false and stores nothing") { store in
            try await store.insertAPIKey(Fixtures.key("k1", createdAt: 1))
            #expect(try await store.revokeAPIKey(id: "k2", at: Fixtures.date(100)) == false)
            #expect(try await store.revokeAPIKey(id: "K1", at: Fixtures.date(100)) == false)
            #expect(try await store.revokeAPIKey(id: "", at: Fixtures.date(100)) == false)
            #expect(try await store.apiKey(id: "k2") == nil)
            #expect(Exact.text(try await store.allAPIKeys()) == Exact.text([Fixtures.key("k1", createdAt: 1)]))
        },
    ]
}
