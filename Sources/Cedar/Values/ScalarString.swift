/// Cedar compares strings by their Unicode scalars, never by Swift's canonical
/// equivalence: `"é"` (U+00E9) and `"e\u{301}"` are different Cedar strings.
/// Comparing UTF-8 bytes is the same as comparing scalars, and it is fast.
extension String {
    /// Whether two strings hold the same Unicode scalars.
    @inlinable
    package func scalarsEqual(_ other: String) -> Bool {
        // The same representation (one small string, or one shared buffer) is the same
        // string: no bytes to read. Two different representations may still be equal.
        if unsafeBitCast(self, to: (UInt64, UInt64).self) == unsafeBitCast(other, to: (UInt64, UInt64).self) {
            return true
        }
        let a = self.utf8, b = other.utf8
        guard a.count == b.count else { return false }
        // Native strings expose their bytes: compare the buffers directly, a word at a time.
        if let equal = a.withContiguousStorageIfAvailable({ pa in
            b.withContiguousStorageIfAvailable { pb in UnsafeRawBufferPointer(pa).bytesEqual(UnsafeRawBufferPointer(pb)) }
        }), let equal {
            return equal
        }
        return a.elementsEqual(b)
    }

    /// Orders strings by their Unicode scalars (the UTF-8 byte order).
    @inlinable
    package func scalarsLess(_ other: String) -> Bool {
        self.utf8.lexicographicallyPrecedes(other.utf8)
    }
}

extension UnsafeRawBufferPointer {
    /// Whether two buffers of the same length hold the same bytes, compared eight at a time.
    @inlinable
    package func bytesEqual(_ other: UnsafeRawBufferPointer) -> Bool {
        let count = self.count
        guard count == other.count else { return false }
        guard count > 0, let a = baseAddress, let b = other.baseAddress else { return true }
        var offset = 0
        while offset + 8 <= count {
            if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                return false
            }
            offset += 8
        }
        while offset < count {
            if a.load(fromByteOffset: offset, as: UInt8.self) != b.load(fromByteOffset: offset, as: UInt8.self) { return false }
            offset += 1
        }
        return true
    }
}

extension Hasher {
    /// Hashes a string by its Unicode scalars, consistent with `scalarsEqual`.
    @inlinable
    package mutating func combineScalars(_ string: String) {
        var string = string
        string.withUTF8 { self.combine(bytes: UnsafeRawBufferPointer($0)) }
        self.combine(string.utf8.count)
    }
}

/// A string hashed and compared by its Unicode scalars, for sets and dictionaries of
/// record keys and identifiers.
package struct ScalarKey: Hashable, Sendable {
    package let string: String
    package init(_ string: String) { self.string = string }
    package init(string: String) { self.string = string }
    package static func == (lhs: ScalarKey, rhs: ScalarKey) -> Bool { lhs.string.scalarsEqual(rhs.string) }
    package func hash(into hasher: inout Hasher) { hasher.combineScalars(string) }
}
