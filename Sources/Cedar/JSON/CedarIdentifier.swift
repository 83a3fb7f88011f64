/// The lexical rules for Cedar identifiers and names, as the JSON formats check
/// entity type names, extension function names and annotation keys.
package enum CedarIdentifier {
    /// Words that cannot be a component of a name.
    static let reservedWords: Set<String> = ["true", "false", "if", "then", "else", "in", "is", "like", "has"]

    /// The identifier reserved for Cedar's own use anywhere in a name.
    static let reservedIdentifier = "__cedar"

    /// Whether `text` is an identifier, `[_a-zA-Z][_a-zA-Z0-9]*`, reserved words included
    /// (annotation keys such as `@if` are allowed).
    package static func isAnyIdentifier<S: StringProtocol>(_ text: S) -> Bool {
        var bytes = text.utf8.makeIterator()
        guard let first = bytes.next(), isIdentifierStart(first) else { return false }
        while let byte = bytes.next() {
            guard isIdentifierStart(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                return false
            }
        }
        return true
    }

    /// Whether `text` is a Cedar name such as `PhotoFlash::Photo`, written without
    /// spaces: identifiers joined by `::`, none a reserved word or `__cedar`.
    package static func isValidName(_ text: String) -> Bool {
        // Splitting at every `:` gives identifiers at even positions and empty pieces
        // (the middle of each `::`) at odd ones.
        let pieces = text.utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard pieces.count % 2 == 1 else { return false }
        for (position, piece) in pieces.enumerated() {
            if position % 2 == 1 {
                guard piece.isEmpty else { return false }
                continue
            }
            let component = String(decoding: piece, as: UTF8.self)
            guard isAnyIdentifier(component), !reservedWords.contains(component), component != reservedIdentifier
            else { return false }
        }
        return true
    }

    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
