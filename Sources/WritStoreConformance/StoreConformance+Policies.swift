import Foundation
import Testing
import WritCore

extension StoreConformance {
    static let policies: [StoreConformanceCase] = [
        .init("policies: an empty store has no latest version, no versions and no history") { store async throws in
            #expect(try await store.latestPolicySet() == nil)
            #expect(try await store.policySet(version: 1) == nil)
            #expect(try await store.policySetHistory(limit: 10, before: nil) == [])
        },
        .init("policies: an appended version reads back exactly, as latest and by number") { store in
            let draft = PolicySetDraft(
                files: [
                    SourceFile(name: "main.cedar", text: "permit(principal, action, resource);\n"),
                    SourceFile(name: "guard.cedar", text: "forbid(principal, action, resource) when { false };\n"),
                ],
                schema: Fixtures.cedarSchema, author: "todo-admin", comment: "first version")
            let appended = try await store.appendPolicySet(draft, expectedLatest: nil)
            let expected = PolicySetRecord(
                version: 1, files: draft.files, schema: draft.schema, author: "todo-admin",
                comment: "first version", createdAt: appended.createdAt, digest: draft.digest)
            #expect(Exact.text(appended) == Exact.text(expected))
            let latest = try await store.latestPolicySet()
            #expect(Exact.text(latest as Any) == Exact.text(expected))
            let first = try await store.policySet(version: 1)
            #expect(Exact.text(first as Any) == Exact.text(expected))
        },
        .init("policies: files keep their order") { store in
            let files = ["z.cedar", "a.cedar", "m.cedar", "b.cedar"].map {
                SourceFile(name: $0, text: "// \($0)\n")
            }
            let draft = PolicySetDraft(files: files, schema: nil, author: "cli")
            _ = try await store.appendPolicySet(draft, expectedLatest: nil)
            let stored = try #require(await store.policySet(version: 1))
            #expect(stored.files.map(\.name) == ["z.cedar", "a.cedar", "m.cedar", "b.cedar"])
            #expect(Exact.text(stored.files) == Exact.text(files))
        },
        .init("policies: no schema, a Cedar schema and a JSON schema each read back as stored") { store in
            for (n, schema) in [nil, Fixtures.cedarSchema, Fixtures.jsonSchema].enumerated() {
                var draft = Fixtures.draft(n)
                draft.schema = schema
                _ = try await store.appendPolicySet(draft, expectedLatest: n == 0 ? nil : n)
            }
            #expect(Exact.text(try await store.policySet(version: 1)?.schema as Any) == "nil")
            #expect(Exact.text(try await store.policySet(version: 2)?.schema as Any) == Exact.text(Fixtures.cedarSchema))
            #expect(Exact.text(try await store.policySet(version: 3)?.schema as Any) == Exact.text(Fixtures.jsonSchema))
        },
        .init("policies: names and text read back scalar for scalar, never normalised") { store in
            let text = Fixtures.awkwardText
            let draft = PolicySetDraft(
                files: [
                    SourceFile(name: "caf\u{E9}.cedar", text: text),
                    SourceFile(name: "cafe\u{301}.cedar", text: "cafe\u{301}"),
                    SourceFile(name: "", text: ""),
                ],
                schema: SchemaSource(format: .cedar, file: SourceFile(name: "\u{1F600}", text: text)),
                author: "cafe\u{301}", comment: text)
            _ = try await store.appendPolicySet(draft, expectedLatest: nil)
            let stored = try #require(await store.policySet(version: 1))
            #expect(Exact.text(stored.files) == Exact.text(draft.files))
            #expect(Exact.text(stored.schema as Any) == Exact.text(draft.schema as Any))
            #expect(Exact.text(stored.author) == Exact.text("cafe\u{301}"))
            #expect(Exact.text(stored.comment as Any) == Exact.text(text))
        },
        .init("policies: a nil comment and an empty comment stay distinct") { store in
            _ = try await store.appendPolicySet(Fixtures.draft(1, comment: nil), expectedLatest: nil)
            _ = try await store.appendPolicySet(Fixtures.draft(2, comment: ""), expectedLatest: 1)
            let first = try #require(await store.policySet(version: 1))
            let second = try #require(await store.policySet(version: 2))
            #expect(first.comment == nil)
            #expect(second.comment == "")
            let history = try await store.policySetHistory(limit: 2, before: nil)
            #expect(history.map(\.comment) == ["", nil])
        },
        .init("policies: versions are numbered 1, 2, 3 in the order they are appended") { store in
            var numbers: [Int] = []
            for n in 1...3 {
                let record = try await store.appendPolicySet(Fixtures.draft(n), expectedLatest: numbers.last)
                numbers.append(record.version)
            }
            #expect(numbers == [1, 2, 3])
            #expect(try await store.latestPolicySet()?.version == 3)
            for n in 1...3 {
                let stored = try await store.policySet(version: n)
                #expect(stored?.digest == Fixtures.draft(n).digest)
            }
        },
        .init("policies: a stale expectedLatest is a conflict and stores nothing") { store in
            for n in 1...2 {
                _ = try await store.appendPolicySet(Fixtures.draft(n), expectedLatest: n == 1 ? nil : n - 1)
            }
            let error = await #expect(throws: WritError.self) {
                try await store.appendPolicySet(Fixtures.draft(3), expectedLatest: 1)
            }
            #expect(error?.code == .conflict)
            #expect(try await store.latestPolicySet()?.version == 2)
            #expect(try await store.policySet(version: 3) == nil)
            #expect(try await store.policySetHistory(limit: 10, before: nil).map(\.version) == [2, 1])
            let next = try await store.appendPolicySet(Fixtures.draft(3), expectedLatest: 2)
            #expect(next.version == 3)
        },
        .init("policies: expectedLatest nil when a version exists is a conflict") { store in
            _ = try await store.appendPolicySet(Fixtures.draft(1), expectedLatest: nil)
            let error = await #expect(throws: WritError.self) {
                try await store.appendPolicySet(Fixtures.draft(2), expectedLatest: nil)
            }
            #expect(error?.code == .conflict)
            #expect(try await store.policySetHistory(limit: 10, before: nil).map(\.version) == [1])
        },
        .init("policies: an expectedLatest ahead of the latest is a conflict") { store in
            let onEmpty = await #expect(throws: WritError.self) {
                try await store.appendPolicySet(Fixtures.draft(1), expectedLatest: 0)
            }
            #expect(onEmpty?.code == .conflict)
            #expect(try await store.latestPolicySet() == nil)
            _ = try await store.appendPolicySet(Fixtures.draft(1), expectedLatest: nil)
            for expected in [2, 5, Int.max, -1] {
                let error = await #expect(throws: WritError.self) {
                    try await store.appendPolicySet(Fixtures.draft(2), expectedLatest: expected)
                }
                #expect(error?.code == .conflict)
            }
            #expect(try await store.policySetHistory(limit: 10, before: nil).map(\.version) == [1])
        },
        .init("policies: the same content twice gets two versions with one digest") { store in
            let first = try await store.appendPolicySet(Fixtures.draft(7, author: "a", comment: "x"), expectedLatest: nil)
            let second = try await store.appendPolicySet(Fixtures.draft(7, author: "b", comment: "y"), expectedLatest: 1)
            #expect(second.version == 2)
            #expect(first.digest == second.digest)
            #expect(second.digest == Fixtures.draft(7).digest)
            #expect(second.author == "b")
        },
        .init("policies: of concurrent appends on one expectedLatest exactly one succeeds") { store in
            _ = try await store.appendPolicySet(Fixtures.draft(0), expectedLatest: nil)
            let outcomes = await withTaskGroup(of: Result<Int, WritError>.self) { group in
                for n in 1...8 {
                    group.addTask {
                        do throws(WritError) {
                            return .success(try await store.appendPolicySet(Fixtures.draft(n), expectedLatest: 1).version)
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                var all: [Result<Int, WritError>] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            let versions = outcomes.compactMap { try? $0.get() }
            let codes = outcomes.compactMap { outcome -> WritError.Code? in
                if case .failure(let error) = outcome { return error.code }
                return nil
            }
            #expect(versions == [2])
            #expect(codes == Array(repeating: .conflict, count: 7))
            #expect(try await store.policySetHistory(limit: 10, before: nil).map(\.version) == [2, 1])
        },
    ]
}
