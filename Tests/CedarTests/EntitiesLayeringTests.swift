import Testing

@testable import Cedar

/// `Entities.layering(_:)` adds a request's entities over a stored set and answers
/// exactly as `adding(_:)` would.
@Suite struct EntitiesLayeringTests {
    static let group = EntityUID("Group", "staff")
    static let alice = EntityUID("User", "alice")
    static let doc = EntityUID("Doc", "1")
    static let stored = Entities([
        Entity(uid: group),
        Entity(uid: alice, attributes: Record([("name", .string("Alice"))]), parents: [group]),
        Entity(uid: doc, parents: [alice]),
    ])

    private func expectSameAnswers(_ a: Entities, _ b: Entities) {
        for uid in [Self.group, Self.alice, Self.doc] {
            #expect(a[uid] == b[uid])
            #expect(a.ancestors(of: uid) == b.ancestors(of: uid))
        }
        #expect(a.count == b.count)
    }

    @Test func replacingAStoredEntityWithItsOwnParentsKeepsTheHierarchy() {
        let described = Entity(
            uid: Self.alice, attributes: Record([("name", .string("Alice")), ("department", .string("Sales"))]),
            parents: [Self.group])
        let layered = Self.stored.layering([described])
        #expect(layered.attribute("department", of: Self.alice) == .some(.string("Sales")))
        #expect(Self.stored.attribute("department", of: Self.alice) == .some(nil))
        #expect(layered.isDescendant(Self.doc, of: Self.group))
        expectSameAnswers(layered, Self.stored.adding([described]))
    }

    @Test func replacingAStoredEntityWithOtherParentsRecomputesTheHierarchy() {
        let moved = Entity(uid: Self.alice, parents: [])
        let layered = Self.stored.layering([moved])
        #expect(!layered.isDescendant(Self.doc, of: Self.group))
        expectSameAnswers(layered, Self.stored.adding([moved]))
    }
}
