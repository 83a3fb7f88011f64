import Cedar

/// Where a value sits in an AuthZEN request body, written the way a person reads a
/// request: `evaluations[3].resource.type`, `subject.properties["first name"]`.
/// Every request error names the path of the value it is about.
struct AuthZENPath: Sendable, Equatable, CustomStringConvertible {
    // Every request makes paths one step below the body (`subject`, `resource`), and
    // they are only read for an error: the last step is kept apart so that such a
    // path costs no array. Nil exactly when the path is the root, so equal paths are
    // stored alike.
    private var head: [JSONPathComponent] = []
    private var last: JSONPathComponent?

    /// The body itself.
    static let root = AuthZENPath()

    /// The steps from the body, in order.
    var components: [JSONPathComponent] { last.map { head + [$0] } ?? head }

    func appending(_ key: String) -> AuthZENPath {
        appending(step: .key(key))
    }

    func appending(index: Int) -> AuthZENPath {
        appending(step: .index(index))
    }

    /// The path of element `index` of the array at `array`'s path: for every element
    /// of one array, `array.appending(index: 0).element(index)` shares one head (no
    /// array made per element).
    func element(_ index: Int) -> AuthZENPath {
        guard last != nil else { return appending(index: index) }
        var copy = self
        copy.last = .index(index)
        return copy
    }

    /// This path followed by the steps of a path below it.
    func appending(_ tail: [JSONPathComponent]) -> AuthZENPath {
        tail.reduce(self) { path, step in path.appending(step: step) }
    }

    private func appending(step: JSONPathComponent) -> AuthZENPath {
        var copy = self
        if let last { copy.head.append(last) }
        copy.last = step
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
