import Foundation
import Testing
import WritCore

extension StoreConformance {
    static let signingKeys: [StoreConformanceCase] = [
        .init("signing keys: an empty store has none") { store async throws in
            #expect(try await store.allSigningKeys() == [])
            #expect(try await store.retireSigningKey(id: "k1", at: Fixtures.date(1)) == false)
        },
        .init("signing keys: inserted keys read back exactly, every field and every key byte") { store in
            let keys = [
                Fixtures.signingKey("k1", createdAt: 1),
                Fixtures.signingKey("k2", createdAt: 2, retiredAt: Fixtures.date(9)),
                SigningKeyRecord(
                    id: Fixtures.awkwardText, privateKey: (0...31).map { UInt8($0 * 8) },
                    createdAt: Date(timeIntervalSinceReferenceDate: 0.25)),
                SigningKeyRecord(id: "zero", privateKey: [UInt8](repeating: 0, count: 32), createdAt: Fixtures.date(3)),
            ]
            for key in keys { try await store.insertSigningKey(key) }
            #expect(Exact.text(try await store.allSigningKeys()) == Exact.text([keys[2], keys[0], keys[1], keys[3]]))
        },
        .init("signing keys: inserting an existing id is a conflict and keeps the first key") { store in
            let first = Fixtures.signingKey("k1", createdAt: 1)
            try await store.insertSigningKey(first)
            let error = await #expect(throws: WritError.self) {
                try await store.insertSigningKey(Fixtures.signingKey("k1", createdAt: 2, seed: 7))
            }
            #expect(error?.code == .conflict)
            #expect(Exact.text(try await store.allSigningKeys()) == Exact.text([first]))
        },
        .init("signing keys: ids differing only by normalisation are distinct keys") { store in
            let composed = Fixtures.signingKey("caf\u{E9}", createdAt: 1)
            let decomposed = Fixtures.signingKey("cafe\u{301}", createdAt: 2, seed: 9)
            try await store.insertSigningKey(composed)
            try await store.insertSigningKey(decomposed)
            #expect(try await store.retireSigningKey(id: "cafe\u{301}", at: Fixtures.date(5)))
            var retired = decomposed
            retired.retiredAt = Fixtures.date(5)
            #expect(Exact.text(try await store.allSigningKeys()) == Exact.text([composed, retired]))
        },
        .init("signing keys: keys are listed oldest first, then in insertion order") { store in
            let keys = [
                Fixtures.signingKey("late", createdAt: 30), Fixtures.signingKey("early", createdAt: 10),
                Fixtures.signingKey("tie-b", createdAt: 20), Fixtures.signingKey("tie-a", createdAt: 20),
                Fixtures.signingKey("middle", createdAt: 15),
            ]
            for key in keys { try await store.insertSigningKey(key) }
            #expect(try await store.allSigningKeys().map(\.id) == ["early", "middle", "tie-b", "tie-a", "late"])
        },
        .init("signing keys: retiring marks only that key, once, at the first date") { store in
            try await store.insertSigningKey(Fixtures.signingKey("k1", createdAt: 1))
            try await store.insertSigningKey(Fixtures.signingKey("k2", createdAt: 2))
            #expect(try await store.retireSigningKey(id: "k1", at: Fixtures.date(100)))
            #expect(try await store.retireSigningKey(id: "k1", at: Fixtures.date(200)) == false)
            var retired = Fixtures.signingKey("k1", createdAt: 1)
            retired.retiredAt = Fixtures.date(100)
            #expect(
                Exact.text(try await store.allSigningKeys())
                    == Exact.text([retired, Fixtures.signingKey("k2", createdAt: 2)]))
        },
        .init("signing keys: retiring an unknown id returns false and stores nothing") { store in
            try await store.insertSigningKey(Fixtures.signingKey("k1", createdAt: 1))
            #expect(try await store.retireSigningKey(id: "k2", at: Fixtures.date(100)) == false)
            #expect(try await store.retireSigningKey(id: "K1", at: Fixtures.date(100)) == false)
            #expect(try await store.retireSigningKey(id: "", at: Fixtures.date(100)) == false)
            #expect(Exact.text(try await store.allSigningKeys()) == Exact.text([Fixtures.signingKey("k1", createdAt: 1)]))
        },
        .init("durable: signing keys and retirements survive reopening", requires: .durable) { store, harness in
            try await store.insertSigningKey(Fixtures.signingKey("k1", createdAt: 1))
            try await store.insertSigningKey(Fixtures.signingKey("k2", createdAt: 2, seed: 5))
            #expect(try await store.retireSigningKey(id: "k1", at: Fixtures.date(7)))
            let reopened = try await harness.openStore()
            var retired = Fixtures.signingKey("k1", createdAt: 1)
            retired.retiredAt = Fixtures.date(7)
            #expect(
                Exact.text(try await reopened.allSigningKeys())
                    == Exact.text([retired, Fixtures.signingKey("k2", createdAt: 2, seed: 5)]))
            #expect(try await reopened.retireSigningKey(id: "k1", at: Fixtures.date(8)) == false)
        },
    ]
}

extension Fixtures {
    /// A signing key created `second` seconds into a fixed day, whose 32 key bytes
    /// count up from `seed`.
    static func signingKey(
        _ id: String, createdAt second: Int, seed: UInt8 = 1, retiredAt: Date? = nil
    ) -> SigningKeyRecord {
        SigningKeyRecord(
            id: id, privateKey: (0..<32).map { seed &+ UInt8($0) }, createdAt: date(second), retiredAt: retiredAt)
    }
}
