extension Pattern {
    /// Whether `text` matches this pattern, comparing Unicode scalars. `*` matches any
    /// run of scalars, including none. Runs in O(text × pattern) time at worst: the
    /// classic greedy match that backtracks only to the most recent wildcard.
    public func matches(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        let count = elements.count
        var t = scalars.startIndex
        var p = 0
        var starP = -1
        var starT = scalars.startIndex
        while t != scalars.endIndex {
            if p < count, case .literal(let c) = elements[p], c == scalars[t] {
                p += 1
                t = scalars.index(after: t)
            } else if p < count, case .wildcard = elements[p] {
                starP = p
                starT = t
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starT = scalars.index(after: starT)
                t = starT
            } else {
                return false
            }
        }
        while p < count, case .wildcard = elements[p] { p += 1 }
        return p == count
    }
}
