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

    /// A task insert whose id is taken.
    package static func duplicateTask(id: String) -> WritError {
        WritError(.conflict, "a task with id `\(id)` already exists")
    }

    /// A task insert whose parent does not exist.
    package static func unknownParentTask(id: String) -> WritError {
        WritError(.notFound, "the parent task `\(id)` does not exist")
    }

    /// A task insert whose parent is closed.
    package static func closedParentTask(id: String) -> WritError {
        WritError(.conflict, "the parent task `\(id)` is closed")
    }

    /// A task that does not exist.
    package static func unknownTask(id: String) -> WritError {
        WritError(.notFound, "task `\(id)` does not exist")
    }

    /// Labels added to a closed task.
    package static func closedTask(id: String) -> WritError {
        WritError(.conflict, "task `\(id)` is closed; a closed task gains no labels")
    }

    /// Counters that would overflow.
    package static func taskCountersOverflow(id: String) -> WritError {
        WritError(.conflict, "the counters of task `\(id)` would overflow")
    }

    /// A signing key insert whose id is taken.
    package static func duplicateSigningKey(id: String) -> WritError {
        WritError(.conflict, "a signing key with id `\(id)` already exists")
    }
}
