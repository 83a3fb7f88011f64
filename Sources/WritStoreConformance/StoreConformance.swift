import WritCore

/// The conformance suite every `WritStore` passes: one list of cases, each run
/// against a fresh store.
///
/// ```swift
/// @Test(arguments: StoreConformance.cases(for: MyStore.capabilities))
/// func conforms(_ c: StoreConformanceCase) async throws {
///     try await c.run(with: MyHarness())
/// }
/// ```
public enum StoreConformance {
    /// Every case, whatever it requires.
    public static let all: [StoreConformanceCase] =
        policies + policyHistory + entities + entityRevisions + apiKeys + tasks + taskClosing + taskLabels + signingKeys + approvals + audit + auditCounters + inventory
        + durability

    /// The cases a store with `capabilities` must pass.
    public static func cases(for capabilities: StoreCapabilities) -> [StoreConformanceCase] {
        all.filter { capabilities.isSuperset(of: $0.requires) }
    }
}
