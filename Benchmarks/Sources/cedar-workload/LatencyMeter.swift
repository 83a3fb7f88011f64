import Cedar

/// Latency statistics of one authorizer over a request mix, in nanoseconds per
/// `authorize` call.
struct LatencySummary: Codable, Sendable {
    var medianNs: Int64
    var p99Ns: Int64
    var meanNs: Double
    var minNs: Int64
    /// Calls timed: rounds × requests.
    var samples: Int
    /// Passes over the request mix, after one untimed warm-up pass.
    var rounds: Int
    /// Timed calls that allowed; `rounds` times the allowed requests of the mix.
    var allowedCalls: Int
}

/// Times `Authorizer.authorize` one call at a time, so that the distribution (and its
/// tail) is that of single authorizations, as Rust Cedar's per-call metric is.
///
/// Several authorizers are timed in alternating passes over the mix, so that a noisy
/// neighbour or a change of clock speed affects them alike rather than whichever ran
/// first.
struct LatencyMeter {
    /// Time to spend in each authorizer's calls, within at least `minimumRounds` and at
    /// most `maximumRounds` passes.
    var budget: Duration
    var minimumRounds: Int
    var maximumRounds: Int

    func measure(_ authorizers: [Authorizer], _ entities: Entities, _ requests: [Request]) -> [LatencySummary] {
        let clock = ContinuousClock()
        let budgetNs = Self.nanoseconds(budget)
        for authorizer in authorizers {
            for request in requests { _ = authorizer.authorize(request, entities: entities) }
        }

        var samples = Array(repeating: [Int64](), count: authorizers.count)
        var spentNs = Array(repeating: Int64(0), count: authorizers.count)
        var rounds = Array(repeating: 0, count: authorizers.count)
        var allowed = Array(repeating: 0, count: authorizers.count)
        func done(_ i: Int) -> Bool {
            rounds[i] >= minimumRounds && (rounds[i] >= maximumRounds || spentNs[i] >= budgetNs)
        }
        while authorizers.indices.contains(where: { !done($0) }) {
            for (i, authorizer) in authorizers.enumerated() where !done(i) {
                for request in requests {
                    let start = clock.now
                    let response = authorizer.authorize(request, entities: entities)
                    let elapsed = Self.nanoseconds(start.duration(to: clock.now))
                    // Counting the decisions keeps the call from being optimized away.
                    if response.decision == .allow { allowed[i] += 1 }
                    samples[i].append(elapsed)
                    spentNs[i] += elapsed
                }
                rounds[i] += 1
            }
        }
        return authorizers.indices.map { i in
            Self.summary(samples[i], rounds: rounds[i], allowedCalls: allowed[i])
        }
    }

    static func summary(_ unsorted: [Int64], rounds: Int, allowedCalls: Int) -> LatencySummary {
        let sorted = unsorted.sorted()
        let total = sorted.reduce(0.0) { $0 + Double($1) }
        return LatencySummary(
            medianNs: quantile(sorted, 0.5), p99Ns: quantile(sorted, 0.99),
            meanNs: total / Double(max(1, sorted.count)), minNs: sorted.first ?? 0,
            samples: sorted.count, rounds: rounds, allowedCalls: allowedCalls)
    }

    /// The `q` quantile of sorted samples (nearest rank).
    static func quantile(_ sorted: [Int64], _ q: Double) -> Int64 {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    static func nanoseconds(_ d: Duration) -> Int64 {
        let (seconds, attoseconds) = d.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
