import Cedar
import Testing

/// `Expr.mayReadContext(_:)` and `mayReadTags` say "may not" only when no evaluation
/// could read that part of the request: a caller relies on it to decide requests that
/// differ only there as one.
@Suite struct ExprReadsTests {
    func reads(_ text: String, _ attribute: String = "task") throws -> Bool {
        try PolicyParser.parseExpression(text).mayReadContext(attribute)
    }

    @Test func readingAnotherContextAttributeByNameDoesNotReadTask() throws {
        #expect(try reads(#"context.input.status == "deleted" && context["system"].now == 1"#) == false)
        #expect(try reads(#"context has input && resource.labels.contains("secret")"#) == false)
    }

    @Test func readingTheAttributeByNameOrTestingForItReadsIt() throws {
        #expect(try reads(#"context.task.labels.contains("pii")"#) == true)
        #expect(try reads(#"context["task"].counters.sameTool >= 4"#) == true)
        #expect(try reads("context has task") == true)
        #expect(try reads(#"if resource.x then 1 else context.task.depth"#) == true)
    }

    @Test func usingTheWholeContextMayReadAnyAttribute() throws {
        #expect(try reads(#"context == {"a": 1}"#) == true)
        #expect(try reads(#"[context].contains(resource.c)"#) == true)
        #expect(try reads(#"{"c": context}.c.input == 1"#) == true)
    }

    @Test func anExpressionWithoutContextReadsNoneOfIt() throws {
        #expect(try reads(#"resource.labels.contains("secret") && principal in Group::"staff""#) == false)
    }

    @Test func hasTagAndGetTagReadTags() throws {
        #expect(try PolicyParser.parseExpression(#"resource.hasTag("a")"#).mayReadTags == true)
        #expect(try PolicyParser.parseExpression(#"context.x || principal.getTag("a") == 1"#).mayReadTags == true)
        #expect(try PolicyParser.parseExpression(#"resource.tags.contains("a")"#).mayReadTags == false)
    }

    @Test func aPolicyReadsWhatAnyOfItsConditionsReads() throws {
        let policy = try PolicyParser.parsePolicy(
            #"permit (principal, action, resource) when { resource.ok } unless { context.task.depth > 2 };"#)
        #expect(policy.mayReadContext("task") == true)
        #expect(policy.mayReadContext("input") == false)
        #expect(policy.mayReadTags == false)
    }
}
