import Cedar
import Foundation
import MCP
import Synchronization
import Testing
@testable import WritMCP

/// A call passing through a stdio upstream is completed exactly once: by its response,
/// by its time limit, by a failed write, or by the upstream ending.
@Suite struct UpstreamPassThroughTests {
    private struct Failed: Error, Equatable { let what: String }

    /// What one call was completed with, as text, and how many times.
    private final class Outcomes: Sendable {
        let seen = Mutex<[String]>([])

        func record(_ outcome: Result<JSONObject, any Error>) {
            let text: String
            switch outcome {
            case .success(let response): text = String(decoding: JSON.object(response).encodedBytes(sortingMembers: true), as: UTF8.self)
            case .failure(let error as Failed): text = "failed: \(error.what)"
            case .failure(let error): text = "error: \(error)"
            }
            seen.withLock { $0.append(text) }
        }

        var all: [String] { seen.withLock { $0 } }
    }

    @Test func theResponseWithTheCallsIdCompletesItOnTheReadingThread() {
        let calls = UpstreamPassThrough()
        let outcomes = Outcomes()
        calls.send(id: "c1", within: .seconds(3_600), late: { Failed(what: "late") }, write: {}) { outcomes.record($0) }
        #expect(calls.take(Data(#"{"jsonrpc":"2.0","id":"c1","result":{"content":[]}}"#.utf8)))
        #expect(outcomes.all == [#"{"id":"c1","jsonrpc":"2.0","result":{"content":[]}}"#])
    }

    @Test func aResponseToAnotherIdIsPassedOnAndTheCallKeepsWaiting() {
        let calls = UpstreamPassThrough()
        let outcomes = Outcomes()
        calls.send(id: "c1", within: .seconds(3_600), late: { Failed(what: "late") }, write: {}) { outcomes.record($0) }
        #expect(calls.take(Data(#"{"jsonrpc":"2.0","id":"other","result":{}}"#.utf8)) == false)
        #expect(calls.take(Data(#"{"jsonrpc":"2.0","id":"c1","method":"ping"}"#.utf8)) == false)
        #expect(outcomes.all == [])
    }

    @Test func aSecondResponseWithTheSameIdIsNotTaken() {
        let calls = UpstreamPassThrough()
        let outcomes = Outcomes()
        calls.send(id: "c1", within: .seconds(3_600), late: { Failed(what: "late") }, write: {}) { outcomes.record($0) }
        #expect(calls.take(Data(#"{"jsonrpc":"2.0","id":"c1","result":{}}"#.utf8)))
        #expect(calls.take(Data(#"{"jsonrpc":"2.0","id":"c1","result":{}}"#.utf8)) == false)
        #expect(outcomes.all.count == 1)
    }

    @Test func aWriteThatFailsCompletesTheCallWithItsError() {
        let calls = UpstreamPassThrough()
        let outcomes = Outcomes()
        calls.send(id: "c1", within: .seconds(3_600), late: { Failed(what: "late") }, write: { throw Failed(what: "broken pipe") }) {
            outcomes.record($0)
        }
        #expect(outcomes.all == ["failed: broken pipe"])
        #expect(calls.take(Data(#"{"jsonrpc":"2.0","id":"c1","result":{}}"#.utf8)) == false)
    }

    @Test func aCallPastItsLimitIsCompletedLateAndItsResponseDropped() async {
        let calls = UpstreamPassThrough()
        let outcomes = Outcomes()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            calls.send(id: "c1", within: .milliseconds(10), late: { Failed(what: "late") }, write: {}) {
                outcomes.record($0)
                done.resume()
            }
        }
        #expect(calls.take(Data(#"{"jsonrpc":"2.0","id":"c1","result":{}}"#.utf8)) == false)
        #expect(outcomes.all == ["failed: late"])
    }

    @Test func theUpstreamEndingFailsTheCallsInFlightAndEveryLaterOneAtOnce() {
        let calls = UpstreamPassThrough()
        let outcomes = Outcomes()
        calls.send(id: "c1", within: .seconds(3_600), late: { Failed(what: "late") }, write: {}) { outcomes.record($0) }
        calls.failAll(Failed(what: "ended"))
        let wrote = Mutex(false)
        calls.send(id: "c2", within: .seconds(3_600), late: { Failed(what: "late") }, write: { wrote.withLock { $0 = true } }) {
            outcomes.record($0)
        }
        #expect(outcomes.all == ["failed: ended", "failed: ended"])
        #expect(wrote.withLock { $0 } == false)
    }

    @Test func aResponseWritsReaderRefusesFailsTheCallItAnswers() {
        let calls = UpstreamPassThrough()
        let outcomes = Outcomes()
        calls.send(id: "c1", within: .seconds(3_600), late: { Failed(what: "late") }, write: {}) { outcomes.record($0) }
        // A duplicate key: JSON Writ's reader refuses, for the call whose id it names.
        #expect(calls.take(Data(#"{"jsonrpc":"2.0","id":"c1","result":{},"result":{}}"#.utf8)))
        #expect(outcomes.all.count == 1)
        #expect(outcomes.all.first?.hasPrefix("error: ") == true)
    }
}
