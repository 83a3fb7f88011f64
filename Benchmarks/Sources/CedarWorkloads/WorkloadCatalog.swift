/// Every workload by name, so the benchmark target and the exporter agree on them.
public enum WorkloadCatalog {
    /// The names of all workloads, in the order they are run.
    public static let names: [String] = OOPSLAApp.allCases.map(\.rawValue) + ["synthetic-10k"]

    /// Builds the workload called `name` with the default parameters.
    public static func workload(named name: String) throws(WorkloadError) -> Workload {
        if let app = OOPSLAApp(rawValue: name) { return try .oopsla(app) }
        if name == "synthetic-10k" { return .synthetic() }
        throw WorkloadError(
            .unknownWorkload, "no workload is called `\(name)`; the workloads are \(names.joined(separator: ", "))")
    }
}
