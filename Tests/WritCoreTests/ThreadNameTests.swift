import Foundation
import Synchronization
import Testing
@testable import WritCore

/// `ThreadName`: what the system shows for a thread of Writ's own.
@Suite struct ThreadNameTests {
    /// The name a new thread shows after adopting `name`.
    private func shown(adopting name: String) async -> String? {
        await withCheckedContinuation { continuation in
            Thread {
                ThreadName.adopt(name)
                continuation.resume(returning: ThreadName.current())
            }.start()
        }
    }

    @Test func aThreadShowsTheNameItAdopted() async {
        #expect(await shown(adopting: "writ-audit") == "writ-audit")
    }

    @Test func aNameLongerThanTheSystemKeepsIsCutToItsFirstFifteenBytes() async {
        #expect(await shown(adopting: "writ-deadlines-and-more") == "writ-deadlines-")
    }

    @Test func aNameIsCutAtACharacterBoundary() async {
        // 14 ASCII bytes, then a two-byte é: the é does not fit whole.
        #expect(await shown(adopting: "writ-upstream-é") == "writ-upstream-")
    }

    @Test func theAuditWritersThreadShowsItsName() async throws {
        let log = try await AuditLog.open(
            store: MemoryStore(), signingKey: .generate(), configuration: .init(checkpointInterval: nil))
        try await log.record([AuditLogTests.event(1)])
        let id = try #require(AuditWriterExecutor.shared.threadID.withLock { $0 })
        let tid = try #require(id.split(separator: "/").last)
        let comm = try String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8)
        #expect(comm == "writ-audit\n")
    }
}
