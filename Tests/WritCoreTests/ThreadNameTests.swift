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
        // A write that may wait runs on the writer's thread: the thread asked from there.
        let id = try #require(await AuditWriterExecutor.offThePool(when: true) { AuditWriterExecutor.currentThreadID() })
        let tid = try #require(id.split(separator: "/").last)
        let comm = try String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8)
        #expect(comm == "writ-audit\n")
    }
}
