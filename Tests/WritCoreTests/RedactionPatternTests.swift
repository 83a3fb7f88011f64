import Testing
import WritCore

/// `RedactionPattern`: the safe regular expressions of `@redact_text`.
@Suite struct RedactionPatternTests {
    func redacted(_ pattern: String, _ text: String) throws -> String {
        try RedactionPattern(pattern).redact(text, with: "#")
    }

    func syntaxError(_ pattern: String) -> RedactionPattern.SyntaxError? {
        do {
            _ = try RedactionPattern(pattern)
            return nil
        } catch {
            return error
        }
    }

    @Test func aSocialSecurityNumberIsReplaced() throws {
        #expect(try redacted(#"\d{3}-\d{2}-\d{4}"#, "SSN 078-05-1120 on file") == "SSN # on file")
    }

    @Test func everyNonOverlappingMatchIsReplaced() throws {
        #expect(try redacted("ab", "abxabab") == "#x##")
    }

    @Test func theLeftmostMatchWinsOverALaterOne() throws {
        #expect(try redacted("abcd|bc", "abcd") == "#")
    }

    @Test func aMatchIsAsLongAsItCanBe() throws {
        #expect(try redacted(#"\d+"#, "call 5551234 now") == "call # now")
    }

    @Test func anEmailAddressPatternReplacesTheWholeAddress() throws {
        let email = #"[\w.+-]+@[\w-]+(\.[\w-]+)+"#
        #expect(try redacted(email, "write to jane.doe+x@mail.example.com today") == "write to # today")
    }

    @Test func classesRangesAndNegationsMatchAsWritten() throws {
        #expect(try redacted("[^a-z ]+", "abc DEF9 ghi") == "abc # ghi")
    }

    @Test func boundedRepetitionTakesAtMostItsMaximum() throws {
        #expect(try redacted("a{2,3}", "aaaaaaa") == "##a")
    }

    @Test func escapedMetacharactersAreLiteral() throws {
        #expect(try redacted(#"\(\d\)\.\*"#, "x(7).* y") == "x# y")
    }

    @Test func matchingWorksOnScalarsBeyondASCII() throws {
        #expect(try redacted("é+", "café éé") == "caf# #")
    }

    @Test func textWithoutAMatchIsReturnedUnchanged() throws {
        #expect(try redacted(#"\d{3}-\d{2}-\d{4}"#, "nothing to see") == "nothing to see")
    }

    @Test func matchesAreReportedAsRangesOfTheText() throws {
        let text = "id 42 and 7"
        let ranges = try RedactionPattern(#"\d+"#).matches(in: text)
        #expect(ranges.map { String(text.unicodeScalars[$0]) } == ["42", "7"])
    }

    @Test func aSearchOverItsWorkLimitThrowsInsteadOfRunningOn() throws {
        // `a*b|a` on a run of `a`s with no `b` rescans the run after every match.
        let pattern = try RedactionPattern("a*b|a")
        #expect(throws: RedactionPattern.WorkLimitExceeded(pattern: "a*b|a")) {
            try pattern.redact(String(repeating: "a", count: 2000), with: "#", workLimit: 100_000)
        }
    }

    @Test func theSamePathologicalSearchFinishesWithinTheDefaultLimitOnShortText() throws {
        #expect(try redacted("a*b|a", "aaaa") == "####")
    }

    @Test func anEmptyPatternIsRefused() {
        #expect(syntaxError("") == RedactionPattern.SyntaxError(column: 1, reason: "the pattern is empty"))
    }

    @Test func aPatternThatMatchesTheEmptyStringIsRefused() {
        #expect(syntaxError("a*")?.reason == "the pattern matches the empty string, so it would redact nothing")
    }

    @Test func anUnclosedGroupNamesItsColumn() {
        #expect(syntaxError("ab(cd") == RedactionPattern.SyntaxError(column: 3, reason: "`(` is never closed"))
    }

    @Test func anUnbalancedClosingParenthesisNamesItsColumn() {
        #expect(syntaxError("ab)") == RedactionPattern.SyntaxError(column: 3, reason: "unbalanced `)`"))
    }

    @Test func anUnknownEscapeIsRefused() {
        #expect(syntaxError(#"a\q"#) == RedactionPattern.SyntaxError(column: 2, reason: #"`\q` is not a supported escape"#))
    }

    @Test func anchorsAreRefused() {
        #expect(syntaxError("^abc")?.column == 1)
    }

    @Test func aQuantifierWithNothingToRepeatIsRefused() {
        #expect(syntaxError("*a") == RedactionPattern.SyntaxError(column: 1, reason: "`*` has nothing to repeat"))
    }

    @Test func stackedQuantifiersAreRefused() {
        #expect(syntaxError("a+*")?.column == 3)
    }

    @Test func aRepetitionCountOver64IsRefused() {
        #expect(syntaxError("a{65}") == RedactionPattern.SyntaxError(column: 2, reason: "repetition counts may be at most 64"))
    }

    @Test func aBackwardsRangeIsRefused() {
        #expect(syntaxError("[z-a]") == RedactionPattern.SyntaxError(column: 2, reason: "the range runs backwards"))
    }

    @Test func anUnclosedClassIsRefused() {
        #expect(syntaxError("[abc") == RedactionPattern.SyntaxError(column: 1, reason: "`[` is never closed"))
    }

    @Test func aPatternLongerThanTheLimitIsRefused() {
        #expect(syntaxError(String(repeating: "a", count: 513))?.column == 513)
    }

    @Test func aPatternExpandingToTooManyStatesIsRefused() {
        #expect(syntaxError("((a{64}){64}){64}")?.reason.hasPrefix("the pattern is too complex") == true)
    }

    @Test func deeplyNestedGroupsWithinTheLengthLimitCompile() throws {
        let nested = String(repeating: "(", count: 200) + "a" + String(repeating: ")", count: 200)
        #expect(try RedactionPattern(nested).redact("xax", with: "#") == "x#x")
    }
}
