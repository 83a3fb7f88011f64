import Cedar

/// Where a value sits in an AuthZEN request body, written the way a person reads a
/// request: `evaluations[3].resource.type`, `subject.properties["first name"]`.
/// Every request error names the path of the value it is about.
struct AuthZENPath: Sendable, Equatable, CustomStringConvertible {
    private(set) var components: [JSONPathComponent] = []

    /// The body itself.
    static let root = AuthZENPath()

    func appending(_ key: String) -> AuthZENPath {
        var copy = self
        copy.components.append(.key(key))
        return copy
    }

    func appending(index: Int) -> AuthZENPath {
        var copy = self
        copy.components.append(.index(index))
        return copy
    }

    /// This path followed by the steps of a path below it.
    func appending(_ tail: [JSONPathComponent]) -> AuthZENPath {
        var copy = self
        copy.components.append(contentsOf: tail)
        return copy
    }

    /// `evaluations[3].resource.type`; `the request body` for the root.
    var description: String {
        guard !components.isEmpty else { return "the request body" }
        // `JSONPathComponent.render` writes `$.a[3].b`; drop the `$` and first dot.
        var text = Substring(JSONPathComponent.render(components).dropFirst())
        if text.first == "." { text = text.dropFirst() }
        return String(text)
    }
}
