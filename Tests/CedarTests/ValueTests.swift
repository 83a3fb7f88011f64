import Testing
@testable import Cedar

@Suite struct ValueEquality {
    @Test func stringsCompareByUnicodeScalarsNotCanonicalEquivalence() {
        #expect(Value.string("\u{E9}") != Value.string("e\u{301}"))
        #expect(Value.string("e\u{301}") == Value.string("e\u{301}"))
    }

    @Test func entityIDsCompareByUnicodeScalars() {
        #expect(EntityUID("User", "\u{E9}") != EntityUID("User", "e\u{301}"))
        #expect(Set([EntityUID("User", "\u{E9}"), EntityUID("User", "e\u{301}")]).count == 2)
    }

    @Test func recordKeysAreSortedAndLastDuplicateWins() {
        let r = Record([("b", .long(1)), ("a", .long(2)), ("b", .long(3))])
        #expect(r.keys == ["a", "b"])
        #expect(r["b"] == .long(3))
        #expect(r["c"] == nil)
    }

    @Test func aRecordBuiltFromPairsInKeyOrderEqualsOneBuiltFromThemShuffled() {
        let ordered = Record([("a", .long(1)), ("b", .long(2)), ("é", .long(3))])
        let shuffled = Record([("é", .long(3)), ("a", .long(1)), ("b", .long(2))])
        #expect(ordered == shuffled)
        #expect(ordered.keys == ["a", "b", "é"])
    }

    @Test func aRepeatedKeyAfterOrderedPairsStillKeepsTheLastValue() {
        let r = Record([("a", .long(1)), ("b", .long(2)), ("b", .long(3))])
        #expect(r.keys == ["a", "b"])
        #expect(r["b"] == .long(3))
    }

    @Test func setsIgnoreOrderAndDuplicates() {
        #expect(Value.set(CedarSet([.long(1), .long(2), .long(1)])) == Value.set(CedarSet([.long(2), .long(1)])))
    }
}

@Suite struct EntityHierarchy {
    @Test func ancestorsAreTheTransitiveClosureOfParents() {
        let a = EntityUID("G", "a"), b = EntityUID("G", "b"), c = EntityUID("G", "c")
        let es = Entities([Entity(uid: a, parents: [b]), Entity(uid: b, parents: [c]), Entity(uid: c)])
        #expect(es.ancestors(of: a) == [b, c])
        #expect(es.isDescendant(a, of: c))
        #expect(!es.isDescendant(c, of: a))
    }

    @Test func cyclesTerminate() {
        let a = EntityUID("G", "a"), b = EntityUID("G", "b")
        let es = Entities([Entity(uid: a, parents: [b]), Entity(uid: b, parents: [a])])
        #expect(es.ancestors(of: a) == [a, b])
    }
}

/// `scalarsEqual` compares bytes a word at a time, and takes one representation as equal.
@Suite struct ScalarsEqualTests {
    @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 17, 40])
    func stringsOfTheSameBytesBuiltApartAreEqualAndOneByteDifferentIsNot(length: Int) {
        let a = String(repeating: "x", count: length)
        let b = String(repeating: "x", count: max(0, length - 1)) + (length > 0 ? "x" : "")
        #expect(a.scalarsEqual(b))
        guard length > 0 else { return }
        for place in [0, length / 2, length - 1] {
            var bytes = Array(a.utf8)
            bytes[place] = UInt8(ascii: "y")
            #expect(!a.scalarsEqual(String(decoding: bytes, as: UTF8.self)))
        }
    }

    @Test func canonicallyEquivalentLongStringsAreNotEqual() {
        let padding = String(repeating: "p", count: 20)
        #expect(!(padding + "\u{E9}").scalarsEqual(padding + "e\u{301}"))
    }
}

/// An entity uid's hash covers its type and its id in full, so that many uids of one
/// input cannot be made to collide by sharing an id (or a type).
@Suite struct EntityUIDHashTests {
    @Test func uidsSharingAnIdWithTypesOfOneLengthHashApart() {
        let hashes = Set((0..<64).map { EntityUID("T\(1000 + $0)", "x").hashValue })
        #expect(hashes.count == 64)
    }

    @Test func uidsSharingATypeWithIdsOfOneLengthHashApart() {
        let hashes = Set((0..<64).map { EntityUID("Doc", "d\(1000 + $0)").hashValue })
        #expect(hashes.count == 64)
    }
}
