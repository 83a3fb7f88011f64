import Testing
import WritCore

/// Opens the store a conformance case runs against.
public protocol StoreConformanceHarness: Sendable {
    /// Opens the store under test. The first call gives an empty store. For a
    /// durable store, each later call opens a new instance over the state the earlier
    /// ones left; the case stops using an earlier instance before it opens again.
    func openStore() async throws -> any WritStore
}

/// One behaviour every store must show, run against a fresh store.
///
/// Cases report failures as Swift Testing issues (`#expect`, `#require`), so run
/// them inside a `@Test`.
public struct StoreConformanceCase: Sendable, Identifiable, CustomTestStringConvertible {
    /// A unique name stating the behaviour (`policies: a stale expectedLatest is a conflict`).
    public let id: String
    /// The capabilities a store must claim for the case to apply.
    public let requires: StoreCapabilities
    private let body: @Sendable (any WritStore, any StoreConformanceHarness) async throws -> Void

    /// A case that needs only the store.
    init(_ id: String, _ body: @escaping @Sendable (any WritStore) async throws -> Void) {
        self.id = id
        self.requires = []
        self.body = { store, _ in try await body(store) }
    }

    /// A case that reopens the store through the harness.
    init(
        _ id: String, requires: StoreCapabilities,
        reopening body: @escaping @Sendable (any WritStore, any StoreConformanceHarness) async throws -> Void
    ) {
        self.id = id
        self.requires = requires
        self.body = body
    }

    public var testDescription: String { id }

    /// Opens a store through `harness` and checks the behaviour on it.
    /// - Throws: `StoreConformanceFailure` when the store does not claim the
    ///   capabilities the case requires; whatever the store or a `#require` throws.
    public func run(with harness: some StoreConformanceHarness) async throws {
        let store = try await harness.openStore()
        guard store.capabilities.isSuperset(of: requires) else {
            throw StoreConformanceFailure(
                "case `\(id)` requires capabilities \(requires.rawValue), the store claims \(store.capabilities.rawValue)")
        }
        try await body(store, harness)
    }
}

/// A conformance case that cannot run, or a store answer a case cannot check.
public struct StoreConformanceFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
