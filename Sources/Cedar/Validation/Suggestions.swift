/// Finds "did you mean" suggestions for misspelt names: the candidate closest to the
/// name by edit distance, when close enough to be a plausible typo.
///
/// One suggester serves one `validate` call. It remembers its answers and makes at
/// most `budget` searches, and it skips long names and long candidate lists, so that a
/// hostile policy full of misspellings against a huge schema stays cheap.
final class Suggester {
    private var remaining: Int
    private var answers: [Key: String?] = [:]

    private struct Key: Hashable {
        let name: ScalarKey
        let scope: String
    }

    static let maxNameLength = 64
    static let maxCandidates = 1_000

    init(budget: Int = 256) { remaining = budget }

    /// The candidate closest to `name`; `scope` names the candidate list (such as
    /// `attributes of User`) so that answers can be remembered.
    func suggest(_ name: String, among candidates: @autoclosure () -> [String], scope: String) -> String? {
        let key = Key(name: ScalarKey(name), scope: scope)
        if let known = answers[key] { return known }
        guard remaining > 0 else { return nil }
        remaining -= 1
        let answer = Self.closest(to: name, among: candidates())
        answers[key] = answer
        return answer
    }

    /// The closest candidate within a third of the longer name's length (at least two
    /// edits are always allowed), and not `name` itself.
    static func closest(to name: String, among candidates: [String]) -> String? {
        let key = Array(name.unicodeScalars)
        guard !key.isEmpty, key.count <= maxNameLength, candidates.count <= maxCandidates else { return nil }
        var best: (distance: Int, length: Int, word: String)?
        for word in candidates {
            let scalars = Array(word.unicodeScalars)
            guard scalars.count <= maxNameLength else { continue }
            let distance = editDistance(key, scalars)
            if distance < (best?.distance ?? Int.max) { best = (distance, scalars.count, word) }
        }
        guard let best, best.distance > 0, best.distance <= max(2, max(key.count, best.length) / 3) else {
            return nil
        }
        return best.word
    }

    /// The Levenshtein distance between two scalar sequences.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        var previous = Array(0...b.count)
        var current = previous
        for i in a.indices {
            current[0] = i + 1
            for j in b.indices {
                let cost = a[i] == b[j] ? 0 : 1
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
