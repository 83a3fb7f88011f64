/// The errors every store reports the same way, so a client sees one message
/// whichever store is behind the service.
extension WritError {
    /// An append based on `expected` when the latest stored version is `latest`.
    package static func policySetConflict(expected: Int?, latest: Int?) -> WritError {
        let was = expected.map { "version `\($0)`" } ?? "no version"
        let actual = latest.map { "version `\($0)`" } ?? "no version"
        return WritError(
            .conflict,
            "the policy set changed: the write expected \(was) as the latest, but the store holds \(actual)")
    }

    /// An API key insert whose id is taken.
    package static func duplicateAPIKey(id: String) -> WritError {
        WritError(.conflict, "an API key with id `\(id)` already exists")
    }

    /// A signing key insert whose id is taken.
    package static func duplicateSigningKey(id: String) -> WritError {
        WritError(.conflict, "a signing key with id `\(id)` already exists")
    }
}
