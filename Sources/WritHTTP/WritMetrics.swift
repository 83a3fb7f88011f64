import Metrics
import Prometheus
import Synchronization
import WritCore

/// The server's metrics, recorded through swift-metrics into a Prometheus registry
/// of its own (so servers in one process, as in tests, do not share counts):
///
/// - `writ_decisions_total{operation, outcome}`: one per decision made, `allow` or
///   `deny` (each item of a batch counts), and one `error` per AuthZEN request that
///   produced no decision (bad input, not ready);
/// - `writ_decision_duration_seconds{operation}`: a histogram of the time to answer
///   an AuthZEN request, body read to response built;
/// - `writ_http_requests_total{method, route, status}`: every HTTP response, by
///   route pattern (`unmatched` for unknown paths).
final class WritMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let decisions: [AuthZENOperation: [Outcome: Metrics.Counter]]
    private let durations: [AuthZENOperation: Metrics.Timer]
    private let requests = Mutex<[String: Metrics.Counter]>([:])

    enum Outcome: String, CaseIterable {
        case allow, deny, error
    }

    static let durationBuckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
    ]

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = ["writ_decision_duration_seconds": Self.durationBuckets]
        self.factory = factory
        var decisions: [AuthZENOperation: [Outcome: Metrics.Counter]] = [:]
        var durations: [AuthZENOperation: Metrics.Timer] = [:]
        for operation in AuthZENOperation.allCases {
            for outcome in Outcome.allCases {
                decisions[operation, default: [:]][outcome] = Metrics.Counter(
                    label: "writ_decisions_total",
                    dimensions: [("operation", operation.rawValue), ("outcome", outcome.rawValue)], factory: factory)
            }
            durations[operation] = Metrics.Timer(
                label: "writ_decision_duration_seconds", dimensions: [("operation", operation.rawValue)], factory: factory)
        }
        self.decisions = decisions
        self.durations = durations
    }

    /// Records an answered AuthZEN request: its decisions and how long it took.
    func recordDecisions(_ operation: AuthZENOperation, _ allowed: [Bool], duration: Duration) {
        let allows = allowed.count { $0 }
        if allows > 0 { decisions[operation]?[.allow]?.increment(by: allows) }
        if allowed.count > allows { decisions[operation]?[.deny]?.increment(by: allowed.count - allows) }
        durations[operation]?.recordNanoseconds(duration.nanoseconds)
    }

    /// Records an AuthZEN request that failed without a decision.
    func recordError(_ operation: AuthZENOperation, duration: Duration) {
        decisions[operation]?[.error]?.increment()
        durations[operation]?.recordNanoseconds(duration.nanoseconds)
    }

    /// Counts one HTTP response.
    func recordRequest(method: String, route: String, status: Int) {
        let key = "\(method) \(route) \(status)"
        let counter = requests.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Metrics.Counter(
                label: "writ_http_requests_total",
                dimensions: [("method", method), ("route", route), ("status", String(status))], factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
    }

    /// Everything recorded, in the Prometheus text format.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
