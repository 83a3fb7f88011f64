import Cedar
import Testing

/// `Entities.layering(_:)` must answer exactly as `adding(_:)` does; it only avoids
/// copying the stored set when that is safe.
@Suite struct EntitiesLayeringTests {
    let alice = EntityUID("User", "alice")
    let staff = EntityUID("Group", "staff")
    let everyone = EntityUID("Group", "everyone")
    let doc = EntityUID("Doc", "d1")
    let folder = EntityUID("Folder", "f1")

    var base: Entities {
        Entities([
            Entity(uid: alice, parents: [staff]),
            Entity(uid: staff, parents: [everyone]),
            Entity(uid: everyone),
        ])
    }

    @Test func aLayeredEntityIsFoundWithItsAttributes() {
        let layered = base.layering([Entity(uid: doc, attributes: Record([("owner", .string("alice"))]))])
        #expect(layered[doc]?.attributes["owner"] == .string("alice"))
        #expect(layered.attribute("owner", of: doc) == .some(.string("alice")))
        #expect(layered.count == 4)
    }

    @Test func attributesAndParentsAreThoseOfTheLayeredEntityOverTheStoredOne() {
        let layered = base.layering([Entity(uid: alice, attributes: Record([("age", .long(7))]), parents: [staff])])
        let found = layered.attributesAndParents(of: alice)
        #expect(found?.attributes == Record([("age", .long(7))]))
        #expect(found?.parents == [staff])
        #expect(base.attributesAndParents(of: alice)?.attributes == Record())
        #expect(base.attributesAndParents(of: staff)?.parents == [everyone])
        #expect(base.attributesAndParents(of: doc) == nil)
    }

    @Test func aLayeredEntityInheritsTheStoredClosureOfItsParents() {
        let layered = base.layering([Entity(uid: doc, parents: [staff])])
        #expect(layered.isDescendant(doc, of: everyone))
        #expect(layered.ancestors(of: doc) == [staff, everyone])
    }

    @Test func layeredEntitiesSeeEachOthersHierarchy() {
        let layered = base.layering([Entity(uid: doc, parents: [folder]), Entity(uid: folder, parents: [staff])])
        #expect(layered.ancestors(of: doc) == [folder, staff, everyone])
    }

    @Test func storedEntitiesKeepTheirClosureUnderALayer() {
        let layered = base.layering([Entity(uid: doc)])
        #expect(layered.ancestors(of: alice) == [staff, everyone])
        #expect(!layered.isDescendant(alice, of: doc))
    }

    @Test func replacingAStoredEntityRecomputesTheClosure() {
        let layered = base.layering([Entity(uid: staff)])
        #expect(layered.ancestors(of: alice) == [staff])
        #expect(layered.ancestors(of: alice) == base.adding([Entity(uid: staff)]).ancestors(of: alice))
    }

    @Test func addingAParentAStoredEntityNamesExtendsItsClosure() {
        let stored = Entities([Entity(uid: alice, parents: [staff])])
        let layered = stored.layering([Entity(uid: staff, parents: [everyone])])
        #expect(layered.isDescendant(alice, of: everyone))
    }

    @Test func layeringNothingReturnsTheSameSet() {
        let layered = base.layering([])
        #expect(layered.count == 3)
        #expect(layered.ancestors(of: alice) == [staff, everyone])
    }

    @Test func uidsOfTypeListsStoredAndLayeredEntitiesInOrder() {
        let layered = base.layering([Entity(uid: EntityUID("User", "aaron"))])
        #expect(layered.uids(ofType: EntityType("User")) == [EntityUID("User", "aaron"), alice])
        #expect(layered.uids(ofType: EntityType("Nope")) == [])
    }
}

/// A request entity that replaces a stored one: the common `fill`/`override` case.
@Suite struct EntitiesLayeringReplacementTests {
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

/// A layer of a few entities is looked through, a larger one hashed into: both find
/// the same entities, attributes, parents and ancestors.
@Suite struct EntitiesLayerLookupTests {
    @Test(arguments: [1, 4, 5, 9])
    func everyLayeredEntityIsFoundWhateverTheLayerSize(size: Int) {
        let group = EntityUID("Group", "staff")
        let stored = Entities([Entity(uid: group), Entity(uid: EntityUID("User", "bob"), parents: [group])])
        let layer = (0..<size).map {
            Entity(uid: EntityUID("Doc", "d\($0)"), attributes: Record([("n", .long(Int64($0)))]), parents: [group])
        }
        let layered = stored.layering(layer)
        for (index, entity) in layer.enumerated() {
            #expect(layered[entity.uid]?.attributes["n"] == .long(Int64(index)))
            #expect(layered.attribute("n", of: entity.uid) == .some(.long(Int64(index))))
            #expect(layered.parents(of: entity.uid) == [group])
            #expect(layered.isDescendant(entity.uid, of: group))
            #expect(layered.ancestors(of: entity.uid) == [group])
        }
        #expect(layered.parents(of: EntityUID("User", "bob")) == [group])
        #expect(layered.parents(of: EntityUID("Doc", "missing")) == nil)
        #expect(layered.attribute("n", of: EntityUID("Doc", "missing")) == nil)
    }
}
