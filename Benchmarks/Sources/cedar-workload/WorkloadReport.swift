import Foundation

/// What `cedar-workload` found for one workload: its size, Writ's decisions, and the
/// latency with and without the scope index.
struct WorkloadReport: Codable, Sendable {
    var name: String
    var summary: String
    var policies: Int
    var entities: Int
    var requests: Int
    var allowed: Int
    /// Policies that errored, summed over the requests.
    var erroredPolicies: Int
    var withIndex: LatencySummary?
    var withoutIndex: LatencySummary?

    static let header = [
        pad("workload", 18), pad("policies", 9), pad("entities", 9), pad("requests", 9), pad("allowed", 8),
        pad("p50 µs", 9), pad("p99 µs", 9), pad("p50 µs no-index", 16), pad("p99 µs no-index", 16),
        "no-index/index",
    ].joined()

    var row: String {
        func micros(_ ns: Int64?) -> String { ns.map { String(format: "%.2f", Double($0) / 1000) } ?? "-" }
        let speedup = withIndex.flatMap { index in
            withoutIndex.map { String(format: "%.1f×", Double($0.medianNs) / Double(max(1, index.medianNs))) }
        }
        return [
            Self.pad(name, 18), Self.pad("\(policies)", 9), Self.pad("\(entities)", 9), Self.pad("\(requests)", 9),
            Self.pad("\(allowed)", 8), Self.pad(micros(withIndex?.medianNs), 9), Self.pad(micros(withIndex?.p99Ns), 9),
            Self.pad(micros(withoutIndex?.medianNs), 16), Self.pad(micros(withoutIndex?.p99Ns), 16), speedup ?? "-",
        ].joined()
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    /// Writes the reports as `{"workloads": [...]}` with snake_case keys.
    static func save(_ reports: [WorkloadReport], to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(["workloads": reports]).write(to: url)
    }
}
