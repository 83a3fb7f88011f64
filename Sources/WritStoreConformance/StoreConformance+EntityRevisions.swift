import Foundation
import Testing
import WritCore

extension StoreConformance {
    static let entityRevisions: [StoreConformanceCase] = [
        .init("entities: the revision changes on every change") { store in
            var seen = [try await store.entityRevision()]
            func changed(_ what: Comment) async throws {
                let revision = try await store.entityRevision()
                #expect(!seen.contains(revision), what)
                seen.append(revision)
            }
            try await store.upsertEntities([Fixtures.entity("User", "alice")])
            try await changed("after inserting an entity")
            try await store.upsertEntities([Fixtures.entity("User", "alice", extra: "\"n\": 1")])
            try await changed("after replacing an entity by upsert")
            #expect(try await store.deleteEntities([StoredEntityKey(type: "User", id: "alice")]) == 1)
            try await changed("after deleting an entity")
            try await store.replaceAllEntities([Fixtures.entity("User", "bob")])
            try await changed("after replacing every entity")
            try await store.replaceAllEntities([])
            try await changed("after emptying the store")
        },
        .init("entities: the revision never returns to an earlier value") { store in
            var seen = [try await store.entityRevision()]
            for _ in 0..<3 {
                try await store.upsertEntities([Fixtures.entity("User", "alice")])
                seen.append(try await store.entityRevision())
                _ = try await store.deleteEntities([StoredEntityKey(type: "User", id: "alice")])
                seen.append(try await store.entityRevision())
            }
            #expect(Set(seen).count == seen.count, "revisions \(seen)")
        },
        .init("entities: reading does not change the revision") { store in
            try await store.upsertEntities([Fixtures.entity("User", "alice")])
            let before = try await store.entityRevision()
            _ = try await store.allEntities()
            _ = try await store.entityRevision()
            _ = try await store.allEntities()
            #expect(try await store.entityRevision() == before)
        },
        .init("entities: an empty upsert and deleting missing uids change no entity") { store in
            let alice = Fixtures.entity("User", "alice")
            try await store.upsertEntities([alice])
            try await store.upsertEntities([])
            #expect(try await store.deleteEntities([StoredEntityKey(type: "User", id: "bob")]) == 0)
            #expect(Exact.text(try await store.allEntities()) == Exact.text([alice]))
        },
    ]
}
