import Cedar
import ReachSamples
import Testing
import WritCore

/// The analysis checked against every request: on generated samples of 20 tools, 5
/// agents and 30 policies, each triple is decided by the real engine under every
/// context of `ReachSample.contexts`. `never` must have no allow and `always` no deny.
@Suite struct ReachBruteForceTests {
    struct Tally: Equatable {
        var agree = 0
        var disagree: [String] = []
        var verdicts: [ReachVerdict: Int] = [:]
        var requests = 0
        /// `conditional` or `inside a task only` triples every request of which the engine
        /// denies, or allows: where the analysis is less precise than it could be.
        var undecidedButNone = 0
        var undecidedButAll = 0
    }

    static func check(seed: UInt64, mode: DecisionMode) async throws -> Tally {
        let sample = ReachSample(.small, seed: seed)
        let engine = try await TestService.make(
            policies: sample.policies, schema: sample.schema, entities: sample.entities, mode: mode
        ).engine()
        let report = try ReachAnalyzer(engine: engine).analyze(ReachUniverse(engine: engine))
        var tally = Tally()
        for triple in report.triples {
            var allowed = 0
            for context in ReachSample.contexts {
                let request = Request(
                    principal: triple.agent, action: triple.action, resource: triple.resource, context: context)
                if engine.decide(request).allowed { allowed += 1 }
            }
            tally.requests += ReachSample.contexts.count
            if triple.verdict == .conditional || triple.verdict == .insideTaskOnly {
                if allowed == 0 { tally.undecidedButNone += 1 }
                if allowed == ReachSample.contexts.count { tally.undecidedButAll += 1 }
            }
            tally.verdicts[triple.verdict, default: 0] += 1
            let holds =
                switch triple.verdict {
                case .never: allowed == 0
                case .always: allowed == ReachSample.contexts.count
                case .insideTaskOnly, .conditional: true
                }
            if holds {
                tally.agree += 1
            } else {
                tally.disagree.append("seed \(seed): \(triple.agent) \(triple.action) \(triple.resource) is \(triple.verdict) "
                    + "but \(allowed) of \(ReachSample.contexts.count) requests are allowed")
            }
        }
        return tally
    }

    @Test(arguments: [DecisionMode.strict, .cedarCompat])
    func everyNeverHasNoAllowAndEveryAlwaysNoDenyOverTwentySamples(mode: DecisionMode) async throws {
        var total = Tally()
        for seed in UInt64(1)...20 {
            let tally = try await Self.check(seed: seed, mode: mode)
            total.agree += tally.agree
            total.disagree += tally.disagree
            total.requests += tally.requests
            total.undecidedButNone += tally.undecidedButNone
            total.undecidedButAll += tally.undecidedButAll
            for (verdict, n) in tally.verdicts { total.verdicts[verdict, default: 0] += n }
        }
        print("reach brute force (\(mode)): \(total.agree) triples agree, \(total.disagree.count) disagree; "
            + "\(total.requests) requests; conditional but never allowed \(total.undecidedButNone), "
            + "conditional but always allowed \(total.undecidedButAll); verdicts \(total.verdicts.sorted { $0.key.rawValue < $1.key.rawValue })")
        #expect(total.disagree == [])
        #expect(total.agree == 2_700)
        #expect(total.verdicts == [.never: 561, .insideTaskOnly: 306, .conditional: 1_045, .always: 788])
    }

    @Test func aSeedAlwaysGivesTheSameSample() {
        #expect(ReachSample(.small, seed: 7).policies == ReachSample(.small, seed: 7).policies)
        #expect(ReachSample(.small, seed: 7).policies != ReachSample(.small, seed: 8).policies)
    }
}
