import Dispatch
import Foundation
import MCP
import Synchronization
import Testing
@testable import WritMCP

/// The gateway writes the JSON it sends (evaluations, upstream requests, response ids)
/// with Writ's writer; these check it writes what the SDK's encoder would mean.
@Suite struct GatewayEncodingTests {
    /// `bytes` read back with Foundation, for comparing what two writers meant.
    private func read(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    @Test func anEvaluationIsWrittenWithTheMeaningTheSDKsEncoderGivesIt() throws {
        let arguments: [String: MCP.Value] = [
            "to": "ops@example.com", "count": 3, "urgent": true, "note": .null,
            "tags": ["a", "\"quoted\" \\ back\u{2028}slash/"], "nested": ["depth": ["x": -9_223_372_036_854_775_807]],
        ]
        let written = try WritGateway.evaluation(agent: "bot", tool: "mail___send", arguments: arguments)
        let sdk = try JSONEncoder().encode(MCP.Value.object([
            "subject": ["type": "agent", "id": "bot"], "action": ["name": "mail___send"],
            "resource": ["type": "tool", "id": "mail___send"], "context": ["input": .object(arguments)],
        ]))
        #expect(try read(written) == (try JSONSerialization.jsonObject(with: sdk) as? NSDictionary))
    }

    @Test func anEvaluationWithoutArgumentsStillCarriesAnEmptyInput() throws {
        let written = try WritGateway.evaluation(agent: "bot", tool: "docs___lookup", arguments: [:])
        #expect(try read(written)["context"] as? NSDictionary == ["input": NSDictionary()])
    }

    @Test func aValueTheSDKWritesItsOwnWayHasNoWritForm() {
        #expect(MCP.Value.double(1.5).writJSON == nil)
        #expect(MCP.Value.data(mimeType: "image/png", Data([1, 2])).writJSON == nil)
        #expect(MCP.Value.array([1, .double(0.5)]).writJSON == nil)
        #expect(MCP.Value.writtenJSON(["x": ["y": .double(2.5)]]) == nil)
    }

    @Test func anEvaluationWithADoubleIsWrittenByTheSDKsEncoder() throws {
        let written = try WritGateway.evaluation(agent: "bot", tool: "pay___send", arguments: ["amount": .double(12.5)])
        let input = try #require((try read(written)["context"] as? NSDictionary)?["input"] as? NSDictionary)
        #expect(input["amount"] as? Double == 12.5)
    }

    @Test func aResponseIdIsWrittenAsTheRequestGaveIt() {
        let text = String(decoding: WritGateway.response(id: .string("a\"b"), result: Array("{}".utf8)), as: UTF8.self)
        #expect(text == #"{"id":"a\"b","jsonrpc":"2.0","result":{}}"#)
        let number = String(decoding: WritGateway.response(id: .number(-7), result: Array("{}".utf8)), as: UTF8.self)
        #expect(number == #"{"id":-7,"jsonrpc":"2.0","result":{}}"#)
    }
}

@Suite struct DeadlineTests {
    @Test func workThatEndsInTimeAnswers() async {
        // The timer is not on the cooperative pool, the work is: the limit must outlast
        // the pool being busy with the rest of the suite's tests (seen: over two minutes).
        let answer = await Deadline.run(within: .seconds(3_600), late: { "late" }) { "done" }
        #expect(answer == "done")
    }

    @Test func workPastTheLimitIsAnsweredLate() async {
        let answer = await Deadline.run(within: .milliseconds(20), late: { "late" }) {
            try? await Task.sleep(for: .seconds(2))
            return "done"
        }
        #expect(answer == "late")
    }

    @Test func aLimitPastACenturyNeverFires() {
        #expect(DeadlineTimer.uptime(after: .seconds(Int64.max)) == .max)
    }

    @Test func aNegativeLimitFiresAtOnce() {
        #expect(DeadlineTimer.uptime(after: .seconds(-1)) <= DispatchTime.now().uptimeNanoseconds)
    }

    // The answer resumes the caller on the cooperative pool, which the rest of the suite
    // can keep busy for minutes: the work waits up to ten minutes to be released, so a
    // timed-out wait can only mean the answer waited for the work.
    @Test func aLimitAnswersWhileTheWorkStillBlocksItsThread() async {
        let release = DispatchSemaphore(value: 0)
        let released = Shared<Bool?>(nil)
        let answer = await Deadline.run(within: .milliseconds(20), late: { "late" }) {
            let ok = release.wait(timeout: .now() + 600) == .success
            released.value.withLock { $0 = ok }
            return "done"
        }
        release.signal()
        while released.value.withLock({ $0 }) == nil { try? await Task.sleep(for: .milliseconds(5)) }
        #expect(answer == "late")
        // The answer came while the work was blocked: it was released, not timed out.
        #expect(released.value.withLock { $0 } == true)
    }

    @Test func onAReadingThreadTheWorkRunsThereOnceTheCallHasSuspended() async {
        let order = Shared<[String]>([])
        let answer: String = await withCheckedContinuation { done in
            let thread = Thread {
                let executor = ReadingThreadExecutor()
                let reader = pthread_self()
                Deadline.$readingThread.withValue(executor) {
                    _ = Task.immediate(executorPreference: executor) {
                        let answer = await Deadline.run(within: .seconds(3_600), late: { "late" }) {
                            order.value.withLock { $0.append(pthread_equal(pthread_self(), reader) != 0 ? "work on the reader" : "work elsewhere") }
                            return "done"
                        }
                        done.resume(returning: answer)
                    }
                }
                order.value.withLock { $0.append("call suspended") }
                executor.drain()
            }
            thread.start()
        }
        #expect(answer == "done")
        #expect(order.value.withLock { $0 } == ["call suspended", "work on the reader"])
    }

    @Test func onAReadingThreadTheCallResumesThereWhenItsWorkIsDone() async {
        let resumed: String = await withCheckedContinuation { done in
            let thread = Thread {
                let executor = ReadingThreadExecutor()
                let reader = pthread_self()
                Deadline.$readingThread.withValue(executor) {
                    _ = Task.immediate(executorPreference: executor) {
                        _ = await Deadline.run(within: .seconds(3_600), late: { "late" }) { "done" }
                        done.resume(returning: pthread_equal(pthread_self(), reader) != 0 ? "on the reader" : "elsewhere")
                    }
                }
                executor.drain()
            }
            thread.start()
        }
        #expect(resumed == "on the reader")
    }

    @Test func onAReadingThreadALimitAnswersWhileTheWorkBlocksThatThread() async {
        let release = DispatchSemaphore(value: 0)
        let released = Shared<Bool?>(nil)
        let answer: String = await withCheckedContinuation { done in
            let thread = Thread {
                let executor = ReadingThreadExecutor()
                Deadline.$readingThread.withValue(executor) {
                    _ = Task.immediate(executorPreference: executor) {
                        let answer = await Deadline.run(within: .milliseconds(20), late: { "late" }) {
                            let ok = release.wait(timeout: .now() + 600) == .success
                            released.value.withLock { $0 = ok }
                            return "done"
                        }
                        done.resume(returning: answer)
                    }
                }
                executor.drain()
            }
            thread.start()
        }
        release.signal()
        while released.value.withLock({ $0 }) == nil { try? await Task.sleep(for: .milliseconds(5)) }
        #expect(answer == "late")
        #expect(released.value.withLock { $0 } == true)
    }

    @Test func jobsEnqueuedOnTheReadingThreadAfterItsDrainRunElsewhere() async {
        let ranOn: String = await withCheckedContinuation { done in
            let thread = Thread {
                let executor = ReadingThreadExecutor()
                let reader = pthread_self()
                executor.drain()
                Task(executorPreference: executor) {
                    done.resume(returning: pthread_equal(pthread_self(), reader) != 0 ? "the reader" : "elsewhere")
                }
            }
            thread.start()
        }
        #expect(ranOn == "elsewhere")
    }

    @Test(.timeLimit(.minutes(1)))
    func jobsEnqueuedFromAnotherThreadRunElsewhereThanTheReadingThread() async {
        let made = Shared<(executor: ReadingThreadExecutor, reader: pthread_t)?>(nil)
        let readerDone = DispatchSemaphore(value: 0)
        let reader = Thread {
            made.value.withLock { $0 = (ReadingThreadExecutor(), pthread_self()) }
            // Never drained: a job it kept would never run, and the limit would fail the test.
            readerDone.wait()
        }
        reader.start()
        while made.value.withLock({ $0 }) == nil { try? await Task.sleep(for: .milliseconds(1)) }
        let (executor, readerThread) = made.value.withLock { $0 }!
        let ranOn = await Task(executorPreference: executor) {
            pthread_equal(pthread_self(), readerThread) != 0 ? "the reader" : "elsewhere"
        }.value
        readerDone.signal()
        #expect(ranOn == "elsewhere")
    }
}

@Suite struct DeadlineTimerTests {
    /// A timer of the test's own, so that other tests' limits do not count.
    private let timer = DeadlineTimer()

    @Test func aLimitThatPassesRunsItsActionOnce() async {
        let fired = Mutex(0)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            _ = timer.schedule(after: .milliseconds(5)) {
                fired.withLock { $0 += 1 }
                done.resume()
            }
        }
        #expect(fired.withLock { $0 } == 1)
    }

    @Test func aCancelledLimitNeverRuns() async throws {
        let fired = Mutex(false)
        let token = timer.schedule(after: .milliseconds(10)) { fired.withLock { $0 = true } }
        timer.cancel(token)
        // A later limit fires after the cancelled one's time: the timer looked at it by then.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            _ = timer.schedule(after: .milliseconds(30)) { done.resume() }
        }
        #expect(fired.withLock { $0 } == false)
    }

    @Test func anEarlierLimitArmedLaterFiresFirst() async {
        let order = Mutex<[String]>([])
        let late = timer.schedule(after: .seconds(3_600)) { order.withLock { $0.append("late") } }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            _ = timer.schedule(after: .milliseconds(5)) {
                order.withLock { $0.append("early") }
                done.resume()
            }
        }
        timer.cancel(late)
        #expect(order.withLock { $0 } == ["early"])
    }

    @Test func cancellingManyLimitsLeavesNoneArmed() {
        let tokens = (0..<10_000).map { _ in timer.schedule(after: .seconds(3_600)) {} }
        #expect(timer.armed == 10_000)
        for token in tokens { timer.cancel(token) }
        #expect(timer.armed == 0)
    }

    @Test func aLimitLeftAmongManyCancelledStillFires() async {
        // Cancelling most limits compacts the heap; the one left keeps its place.
        let tokens = (0..<1_000).map { index in timer.schedule(after: .seconds(3_600 + index)) {} }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let kept = timer.schedule(after: .milliseconds(20)) { done.resume() }
            for token in tokens { timer.cancel(token) }
            #expect(timer.armed == 1)
            _ = kept
        }
        #expect(timer.armed == 0)
    }
}

/// A value tests share between threads and tasks.
private final class Shared<T: Sendable>: Sendable {
    let value: Mutex<T>
    init(_ value: T) { self.value = Mutex(value) }
}
