extension String {
    /// This error message, at most `limit` Unicode scalars long. A longer message keeps
    /// its beginning and its end around an ellipsis, so that a message quoting a huge
    /// input still says what was wrong and why: `invalid IP address: 1111…1111: string
    /// length is too large`.
    func boundedForMessage(_ limit: Int) -> String {
        let scalars = unicodeScalars
        guard scalars.count > limit, limit > 1 else { return self }
        let head = (limit - 1) / 2
        let tail = limit - 1 - head
        var bounded = String.UnicodeScalarView(scalars.prefix(head))
        bounded.append("…")
        bounded.append(contentsOf: scalars.suffix(tail))
        return String(bounded)
    }
}
