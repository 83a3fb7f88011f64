import Foundation
import Testing
import WritCore

extension StoreConformance {
    /// Appends versions 1…`count` and returns them as stored.
    static func appendVersions(_ count: Int, to store: any WritStore) async throws -> [PolicySetRecord] {
        var records: [PolicySetRecord] = []
        for n in 1...count {
            records.append(try await store.appendPolicySet(
                Fixtures.draft(n, author: "author \(n)", comment: n.isMultiple(of: 2) ? "even \(n)" : nil),
                expectedLatest: records.last?.version))
        }
        return records
    }

    static let policyHistory: [StoreConformanceCase] = [
        .init("policies: history lists every version's summary, newest first") { store in
            let records = try await appendVersions(5, to: store)
            let history = try await store.policySetHistory(limit: 10, before: nil)
            #expect(Exact.text(history) == Exact.text(records.reversed().map(\.summary)))
        },
        .init("policies: history stops at the limit, and a limit of zero or less lists nothing") { store in
            _ = try await appendVersions(5, to: store)
            #expect(try await store.policySetHistory(limit: 2, before: nil).map(\.version) == [5, 4])
            #expect(try await store.policySetHistory(limit: 1, before: nil).map(\.version) == [5])
            #expect(try await store.policySetHistory(limit: Int.max, before: nil).map(\.version) == [5, 4, 3, 2, 1])
            #expect(try await store.policySetHistory(limit: 0, before: nil) == [])
            #expect(try await store.policySetHistory(limit: -1, before: nil) == [])
            #expect(try await store.policySetHistory(limit: Int.min, before: 3) == [])
        },
        .init("policies: history before a version lists only older versions") { store in
            _ = try await appendVersions(5, to: store)
            #expect(try await store.policySetHistory(limit: 2, before: 4).map(\.version) == [3, 2])
            #expect(try await store.policySetHistory(limit: 10, before: 2).map(\.version) == [1])
            #expect(try await store.policySetHistory(limit: 10, before: 6).map(\.version) == [5, 4, 3, 2, 1])
            #expect(try await store.policySetHistory(limit: 10, before: Int.max).map(\.version) == [5, 4, 3, 2, 1])
            for before in [1, 0, -1, Int.min] {
                #expect(try await store.policySetHistory(limit: 10, before: before) == [])
            }
        },
        .init("policies: an unknown version is nil") { store in
            _ = try await appendVersions(3, to: store)
            for version in [0, -1, 4, 1_000, Int.max, Int.min] {
                #expect(try await store.policySet(version: version) == nil)
            }
            #expect(try await store.policySet(version: 3)?.version == 3)
        },
    ]
}
