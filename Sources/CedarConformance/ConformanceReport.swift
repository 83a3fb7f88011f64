import Cedar

/// The outcome of a conformance run, counted by request.
public struct ConformanceReport: Sendable {
    /// One request whose answer differed from the expected one.
    public struct Failure: Sendable, CustomStringConvertible {
        public let test: String
        public let request: String
        public let expected: String
        public let actual: String
        public var description: String {
            "\(test) — \(request)\n    expected: \(expected)\n    actual:   \(actual)"
        }
    }

    public var passed = 0
    public var failed = 0
    /// Requests not run because they need a capability this build lacks, by reason.
    public var notApplicable: [String: Int] = [:]
    /// Failures in the order met; the first few explain what went wrong.
    public var failures: [Failure] = []
    /// Test files that could not be read, with why.
    public var loadErrors: [String] = []

    public init() {}

    /// How many requests were not applicable.
    public var notApplicableCount: Int { notApplicable.values.reduce(0, +) }

    /// Whether every applicable request passed and every file loaded.
    public var succeeded: Bool { failed == 0 && loadErrors.isEmpty }

    /// The closing line, `N passed, M failed` (with `, K skipped` when some were not
    /// applicable).
    public var summaryLine: String {
        let skipped = notApplicableCount
        return skipped == 0
            ? "\(passed) passed, \(failed) failed"
            : "\(passed) passed, \(failed) failed, \(skipped) skipped"
    }

    mutating func record(_ outcome: Bool, failure: @autoclosure () -> Failure) {
        if outcome {
            passed += 1
        } else {
            failed += 1
            if failures.count < 50 { failures.append(failure()) }
        }
    }

    /// A readable report: the first failures, what was skipped and why, then the summary.
    public func rendered(maxFailures: Int = 10) -> String {
        var lines: [String] = []
        for f in failures.prefix(maxFailures) { lines.append("FAIL \(f)") }
        if failures.count > maxFailures || failed > failures.count {
            lines.append("… and \(failed - min(failed, maxFailures)) more failures")
        }
        for e in loadErrors { lines.append("LOAD ERROR \(e)") }
        for (reason, count) in notApplicable.sorted(by: { $0.key < $1.key }) {
            lines.append("not applicable: \(count) requests: \(reason)")
        }
        lines.append(summaryLine)
        return lines.joined(separator: "\n")
    }
}
