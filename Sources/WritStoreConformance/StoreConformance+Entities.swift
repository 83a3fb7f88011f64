import Foundation
import Testing
import WritCore

extension StoreConformance {
    static let entities: [StoreConformanceCase] = [
        .init("entities: an empty store has none") { store async throws in
            #expect(try await store.allEntities() == [])
        },
        .init("entities: upserted entities read back exactly, JSON as given") { store in
            let spaced = StoredEntity(
                type: "User", id: "alice",
                json: "{ \"uid\" : {\"type\":\"User\",\"id\":\"alice\"},\n\t\"attrs\": {\"n\": 1.50, \"s\": \"\\u00e9\"}, \"parents\": [] }")
            let other = Fixtures.entity("Todo::List", "inbox")
            try await store.upsertEntities([spaced, other])
            let stored = try await store.allEntities()
            #expect(Exact.text(stored) == Exact.text([other, spaced]))
        },
        .init("entities: upsert replaces the entity with the same uid") { store in
            try await store.upsertEntities([Fixtures.entity("User", "alice"), Fixtures.entity("User", "bob")])
            let replacement = Fixtures.entity("User", "alice", extra: "\"admin\": true")
            try await store.upsertEntities([replacement])
            let stored = try await store.allEntities()
            #expect(Exact.text(stored) == Exact.text([replacement, Fixtures.entity("User", "bob")]))
        },
        .init("entities: an upsert listing one uid twice keeps the last") { store in
            let first = Fixtures.entity("User", "alice", extra: "\"n\": 1")
            let last = Fixtures.entity("User", "alice", extra: "\"n\": 2")
            try await store.upsertEntities([first, last])
            #expect(Exact.text(try await store.allEntities()) == Exact.text([last]))
        },
        .init("entities: entities are ordered by type, then id, in Unicode scalar order") { store in
            // Scalar order puts uppercase before lowercase, "cafe" + U+0301 before "café",
            // "e" + U+0301 before "f" (Swift's String order, which compares NFC forms,
            // would not), "z" before "é", and U+FF61 before U+1F600 (UTF-16 order would
            // not); a type is compared whole before any id.
            let expected = [
                ("A", "zz"), ("AB", "a"), ("Todo::List", "1"), ("User", "B"), ("User", "a"),
                ("User", "cafe\u{301}"), ("User", "caf\u{E9}"), ("User", "e\u{301}"), ("User", "f"),
                ("User", "z"), ("User", "\u{E9}"), ("User", "\u{FF61}"), ("User", "\u{1F600}"),
                ("User::Admin", ""),
            ].map { Fixtures.entity($0.0, $0.1) }
            try await store.upsertEntities(expected.reversed())
            #expect(Exact.text(try await store.allEntities()) == Exact.text(expected))
        },
        .init("entities: ids and types differing only by normalisation are distinct entities") { store in
            let composed = Fixtures.entity("User", "caf\u{E9}", extra: "\"form\": \"NFC\"")
            let decomposed = Fixtures.entity("User", "cafe\u{301}", extra: "\"form\": \"NFD\"")
            let typeComposed = Fixtures.entity("Caf\u{E9}", "x")
            let typeDecomposed = Fixtures.entity("Cafe\u{301}", "x")
            try await store.upsertEntities([composed, decomposed, typeComposed, typeDecomposed])
            #expect(Exact.text(try await store.allEntities()) == Exact.text([typeDecomposed, typeComposed, decomposed, composed]))
            #expect(try await store.deleteEntities([decomposed.key, typeComposed.key]) == 2)
            #expect(Exact.text(try await store.allEntities()) == Exact.text([typeDecomposed, composed]))
        },
        .init("entities: delete counts only entities that existed") { store in
            try await store.upsertEntities([Fixtures.entity("User", "alice"), Fixtures.entity("User", "bob")])
            let deleted = try await store.deleteEntities([
                StoredEntityKey(type: "User", id: "alice"), StoredEntityKey(type: "User", id: "alice"),
                StoredEntityKey(type: "User", id: "carol"), StoredEntityKey(type: "Group", id: "bob"),
            ])
            #expect(deleted == 1)
            #expect(Exact.text(try await store.allEntities()) == Exact.text([Fixtures.entity("User", "bob")]))
            #expect(try await store.deleteEntities([]) == 0)
            #expect(try await store.deleteEntities([StoredEntityKey(type: "User", id: "alice")]) == 0)
        },
        .init("entities: replaceAll replaces the whole set") { store in
            try await store.upsertEntities([Fixtures.entity("User", "alice"), Fixtures.entity("User", "bob")])
            let replacement = [Fixtures.entity("Group", "staff"), Fixtures.entity("User", "bob", extra: "\"new\": true")]
            try await store.replaceAllEntities(replacement)
            #expect(Exact.text(try await store.allEntities()) == Exact.text(replacement))
            let duplicated = [Fixtures.entity("User", "x", extra: "\"n\": 1"), Fixtures.entity("User", "x", extra: "\"n\": 2")]
            try await store.replaceAllEntities(duplicated)
            #expect(Exact.text(try await store.allEntities()) == Exact.text([duplicated[1]]))
        },
        .init("entities: replaceAll with no entities empties the store") { store in
            try await store.upsertEntities([Fixtures.entity("User", "alice")])
            try await store.replaceAllEntities([])
            #expect(try await store.allEntities() == [])
        },
        .init("entities: concurrent upserts all land") { store in
            await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<16 {
                    group.addTask { try await store.upsertEntities([Fixtures.entity("User", "u\(n)")]) }
                }
                while let outcome = await group.nextResult() {
                    if case .failure(let error) = outcome { Issue.record(error, "a concurrent upsert failed") }
                }
            }
            let ids = try await store.allEntities().map(\.id)
            #expect(Set(ids) == Set((0..<16).map { "u\($0)" }))
            #expect(ids.count == 16)
        },
    ]
}
