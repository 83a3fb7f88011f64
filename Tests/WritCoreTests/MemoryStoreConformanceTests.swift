import Testing
import WritCore
import WritStoreConformance

/// Opens a new, empty `MemoryStore` each time (it is not durable).
private struct MemoryHarness: StoreConformanceHarness {
    func openStore() async throws -> any WritStore { MemoryStore() }
}

@Suite struct MemoryStoreConformance {
    @Test(arguments: StoreConformance.cases(for: MemoryStore().capabilities))
    func conforms(_ conformanceCase: StoreConformanceCase) async throws {
        try await conformanceCase.run(with: MemoryHarness())
    }

    @Test func claimsNoCapabilitiesSoOnlyDurableCasesAreLeftOut() {
        #expect(MemoryStore().capabilities == [])
        let skipped = StoreConformance.all.filter { !$0.requires.isSubset(of: []) }
        #expect(skipped.allSatisfy { $0.requires == .durable })
        #expect(StoreConformance.cases(for: []).count + skipped.count == StoreConformance.all.count)
    }

    @Test func conformanceCaseNamesAreUnique() {
        let names = StoreConformance.all.map(\.id)
        #expect(Set(names).count == names.count)
    }

    @Test func aDurableCaseRunOnAStoreThatIsNotDurableFailsInsteadOfPassing() async throws {
        let durable = try #require(StoreConformance.all.first { $0.requires.contains(.durable) })
        await #expect(throws: StoreConformanceFailure.self) {
            try await durable.run(with: MemoryHarness())
        }
    }
}
