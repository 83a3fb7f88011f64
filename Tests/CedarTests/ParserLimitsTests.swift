import Foundation
import Synchronization
import Testing

@testable import Cedar

/// Hostile input: deep nesting, long chains and huge texts end in a `ParseError`,
/// quickly and without exhausting the stack.
@Suite struct ParserLimits {
    private func condition(_ body: String) -> String {
        "permit(principal, action, resource) when { \(body) };"
    }

    private func parseError(_ text: String) -> ParseError? {
        do {
            _ = try PolicyParser.parsePolicies(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func hundredThousandOpenParenthesesAreTooDeep() {
        let error = parseError(condition(String(repeating: "(", count: 100_000)))
        #expect(error?.code == .nestingTooDeep)
        #expect(error?.message == "the policy nests more than 128 levels deep")
        #expect(error?.location.line == 1)
        // The condition's body is level 1, so the 128th parenthesis opens level 129: the
        // error points at what follows it.
        #expect(error?.location.column == 44 + 128)
    }

    @Test func hundredThousandBangsAreTooManyUnaryOperators() {
        let error = parseError(condition(String(repeating: "!", count: 100_000) + "true"))
        #expect(error?.code == .invalidOperator)
        #expect(error?.location.column == 44 + 4)
    }

    @Test func hundredThousandNestedNegationsAreTooDeep() {
        let text = condition(String(repeating: "!(", count: 100_000) + "true" + String(repeating: ")", count: 100_000))
        #expect(parseError(text)?.code == .nestingTooDeep)
    }

    @Test func deeplyNestedSetsAndRecordsAreTooDeep() {
        #expect(parseError(condition(String(repeating: "[", count: 100_000)))?.code == .nestingTooDeep)
        #expect(parseError(condition(String(repeating: "{a: ", count: 100_000)))?.code == .nestingTooDeep)
    }

    @Test func deeplyNestedIfExpressionsAreTooDeep() {
        let text = condition(String(repeating: "if true then 1 else ", count: 100_000) + "2")
        #expect(parseError(text)?.code == .nestingTooDeep)
    }

    @Test func deeplyNestedScopeParenthesesAreTooDeep() {
        let text = "permit(principal == " + String(repeating: "(", count: 100_000) + "User::\"a\""
        #expect(parseError(text)?.code == .nestingTooDeep)
    }

    @Test func longAttributeChainsAreTooDeep() {
        let error = parseError(condition("context" + String(repeating: ".a", count: 100_000)))
        #expect(error?.code == .nestingTooDeep)
        #expect(error?.message == "the expression is more than 256 operations deep")
    }

    @Test func longOperatorChainsAreTooDeep() {
        #expect(
            parseError(condition(Array(repeating: "1", count: 100_000).joined(separator: " + ")))?.code
                == .nestingTooDeep)
        #expect(
            parseError(condition(Array(repeating: "true", count: 100_000).joined(separator: " || ")))?.code
                == .nestingTooDeep)
        #expect(
            parseError(condition("context has " + Array(repeating: "a", count: 100_000).joined(separator: ".")))?.code
                == .nestingTooDeep)
    }

    @Test func chainsUpToTheHeightLimitParse() throws {
        // `context.a` is two levels high, so 255 of them joined by `||` make 256.
        let chain = Array(repeating: "context.a", count: PolicyParser.maxExpressionHeight - 1).joined(separator: " || ")
        let policy = try PolicyParser.parsePolicy(condition(chain))
        #expect(try PolicyParser.parsePolicy(PolicyFormatter.format(policy)) == policy)
    }

    @Test func nestingUpToTheLimitParses() throws {
        let depth = PolicyParser.maxNestingDepth - 1
        let text = condition(String(repeating: "(", count: depth) + "true" + String(repeating: ")", count: depth))
        let policy = try PolicyParser.parsePolicy(text)
        #expect(policy.conditions.first?.body == Expr(.value(.bool(true))))
    }

    /// Runs `body` on a thread with a stack of `kilobytes`, and waits for it.
    private func onThread(stackKilobytes kilobytes: Int, _ body: @escaping @Sendable () -> Void) {
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            finished.signal()
        }
        thread.stackSize = kilobytes * 1024
        thread.start()
        finished.wait()
    }

    @Test func deepNestingOnASmallStackIsAnErrorNotACrash() {
        let depth = PolicyParser.maxNestingDepth - 1
        let text = condition(
            String(repeating: "[(", count: depth / 2) + "true" + String(repeating: ")]", count: depth / 2))
        let code = Mutex<ParseError.Code?>(nil)
        onThread(stackKilobytes: 192) {
            do throws(ParseError) {
                _ = try PolicyParser.parsePolicy(text)
            } catch {
                code.withLock { $0 = error.code }
            }
        }
        #expect(code.withLock { $0 } == .nestingTooDeep)
    }

    @Test func tallestExpressionsParseAndFormatOnASmallStack() {
        // Chains are built and printed with loops, so their length costs no stack.
        let chain =
            Array(repeating: "context.a.b.c", count: 100).joined(separator: " && ")
            + " || context" + String(repeating: ".a", count: PolicyParser.maxExpressionHeight - 2)
        let text = condition(chain)
        let formattedTwice = Mutex<[String]>([])
        onThread(stackKilobytes: 256) {
            guard let policy = try? PolicyParser.parsePolicy(text) else { return }
            let formatted = PolicyFormatter.format(policy)
            guard let reparsed = try? PolicyParser.parsePolicy(formatted) else { return }
            formattedTwice.withLock { $0 = [formatted, PolicyFormatter.format(reparsed)] }
        }
        let results = formattedTwice.withLock { $0 }
        #expect(results.count == 2 && results.first == results.last)
    }

    @Test func textOverTheSizeLimitIsRejectedBeforeLexing() {
        let text = String(repeating: " ", count: PolicyParser.maxInputBytes + 1)
        let error = parseError(text)
        #expect(error?.code == .inputTooLarge)
        #expect(error?.location == SourceLocation(line: 1, column: 1, offset: 0))
    }

    @Test func tenThousandPoliciesParse() throws {
        let policy = """
            @id("p")
            permit(principal == User::"alice", action in [Action::"view", Action::"edit"], resource in Folder::"f")
            when { context.level >= 3 && resource.owner == principal && context has ip && context.ip.isInRange(ip("10.0.0.0/8")) }
            unless { principal.suspended };

            """
        let policies = try PolicyParser.parsePolicies(String(repeating: policy, count: 10_000))
        #expect(policies.count == 10_000)
        #expect(policies.last?.id == "policy9999")
    }
}
