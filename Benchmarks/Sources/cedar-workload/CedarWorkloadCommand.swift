import ArgumentParser
import Cedar
import CedarWorkloads
import Foundation

/// Exports the benchmark workloads for other Cedar engines and times Writ on them.
@main
struct CedarWorkloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cedar-workload",
        abstract: "Export the Cedar benchmark workloads and time Writ's authorizer on them.",
        discussion: """
            For each workload, writes <out>/<name>/ with policies.cedar, links.json, entities.json, \
            requests.json and writ-decisions.json, then times every request one authorize call at a time, \
            with the scope index and without it. The timings go to <out>/writ-timings.json.
            """)

    @Option(name: .long, help: "The folder to write the workloads to.")
    var out = "workloads"

    @Option(name: .customLong("workload"), help: "A workload to run (repeatable); all when omitted.")
    var workloads: [String] = []

    @Option(name: .long, help: "Seconds of authorize calls to time per workload and configuration.")
    var seconds = 2.0

    @Option(name: .long, help: "The fewest timed passes over a request mix.")
    var minRounds = 5

    @Option(name: .long, help: "The most timed passes over a request mix.")
    var maxRounds = 2000

    @Flag(name: .long, help: "Only export the workloads and Writ's decisions.")
    var noTiming = false

    @Flag(name: .long, help: "Time only with the scope index (to profile that path alone).")
    var indexOnly = false

    func validate() throws {
        guard seconds > 0, seconds <= 3600 else { throw ValidationError("--seconds must be in (0, 3600]") }
        guard minRounds >= 1, maxRounds >= minRounds else {
            throw ValidationError("--min-rounds must be at least 1 and at most --max-rounds")
        }
    }

    func run() throws {
        let outFolder = URL(filePath: out, directoryHint: .isDirectory)
        let meter = LatencyMeter(
            budget: .milliseconds(Int64(seconds * 1000)), minimumRounds: minRounds, maximumRounds: maxRounds)
        var reports: [WorkloadReport] = []
        print(WorkloadReport.header)
        for name in workloads.isEmpty ? WorkloadCatalog.names : workloads {
            let workload = try WorkloadCatalog.workload(named: name)
            let policySet = try workload.policySet()
            let entities = workload.entityStore()
            let indexed = Authorizer(policySet)
            let scanning = Authorizer(policySet, configuration: .init(scopeIndex: false))

            let responses = workload.requests.map { indexed.authorize($0, entities: entities) }
            for (i, request) in workload.requests.enumerated()
            where scanning.authorize(request, entities: entities) != responses[i] {
                throw CommandFailure("workload `\(name)`: request \(i) is decided differently without the scope index")
            }
            try WorkloadExporter(folder: outFolder.appending(path: name, directoryHint: .isDirectory))
                .write(workload, entities: entities, responses: responses)

            var report = WorkloadReport(
                name: name, summary: workload.summary, policies: indexed.policyCount, entities: entities.count,
                requests: workload.requests.count, allowed: responses.count { $0.decision == .allow },
                erroredPolicies: responses.reduce(0) { $0 + $1.errors.count })
            if !noTiming {
                let timings = meter.measure(indexOnly ? [indexed] : [indexed, scanning], entities, workload.requests)
                report.withIndex = timings.first
                report.withoutIndex = timings.dropFirst().first
            }
            print(report.row)
            reports.append(report)
        }
        try WorkloadReport.save(reports, to: outFolder.appending(path: "writ-timings.json"))
        print("\nworkloads, Writ's decisions and timings written to \(outFolder.path(percentEncoded: false))")
    }
}

/// A failure of the export, printed as the command's error.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
