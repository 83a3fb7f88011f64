import Testing

@testable import Cedar

/// Hostile schemas: deep nesting, cyclic and exploding common types, huge lists and
/// huge texts end in a `SchemaError` or succeed, quickly and without exhausting the
/// stack or memory.
@Suite struct SchemaLimits {
    private func humanError(_ text: String) -> SchemaError? {
        do {
            _ = try Schema(cedarSchema: text)
            return nil
        } catch {
            return error
        }
    }

    private func jsonError(_ text: String) -> SchemaError? {
        do {
            _ = try Schema(json: text)
            return nil
        } catch {
            return error
        }
    }

    @Test func hundredThousandNestedSetsAreTooDeep() {
        let text = "entity A { a: " + String(repeating: "Set<", count: 100_000) + "Long"
        let error = humanError(text)
        #expect(error?.code == .nestingTooDeep)
        #expect(error?.message == "types nest more than 128 levels deep")
        // The record is level 1, so the 128th `Set<` opens level 129: the error points at
        // what follows it.
        #expect(error?.location == .text(SourceLocation(line: 1, column: 15 + 4 * 128, offset: 14 + 4 * 128)))
    }

    @Test func hundredThousandNestedRecordsAreTooDeep() {
        let text = "type T = " + String(repeating: "{ a: ", count: 100_000)
        #expect(humanError(text)?.code == .nestingTooDeep)
    }

    @Test func typesNestedToTheLimitAreAccepted() throws {
        let depth = SchemaFragment.maxNestingDepth - 1
        let text =
            "entity A { a: " + String(repeating: "Set<", count: depth) + "Long" + String(repeating: ">", count: depth)
            + " };"
        let schema = try Schema(cedarSchema: text)
        var type = try #require(schema.entityTypes[EntityType("A")]?.attributes["a"]?.type)
        var levels = 0
        while case .set(let element) = type {
            levels += 1
            type = element
        }
        #expect(levels == depth)
        #expect(type == .long)
    }

    @Test func hundredThousandNestedJSONSetsAreTooDeep() {
        let text =
            #"{"": {"entityTypes": {"A": {"shape": {"type": "Record", "attributes": {"a": "#
            + String(repeating: #"{"type": "Set", "element": "#, count: 100_000)
        let error = jsonError(text)
        #expect(error?.code == .nestingTooDeep)
    }

    @Test func tenMegabytesOfTextAreTooLarge() {
        let text = String(repeating: "entity A;\n", count: 1_000_000)
        let human = humanError(text)
        #expect(human?.code == .inputTooLarge)
        #expect(human?.message == "the schema is 10000000 bytes long, more than the limit of 8388608")
        let json = jsonError(
            #"{"": {"entityTypes": {}, "actions": {}, "x": ""# + String(repeating: " ", count: 10_000_000))
        #expect(json?.code == .inputTooLarge)
        #expect(json?.location == nil)
    }

    @Test func selfReferentialCommonTypeIsACycle() {
        let error = humanError("type T = { next: T }; entity A { t: T };")
        #expect(error?.code == .commonTypeCycle)
        #expect(error?.message == "cycle in common type references containing `T`")
        #expect(error?.location == .text(SourceLocation(line: 1, column: 6, offset: 5)))
    }

    @Test func longCycleOfCommonTypesIsACycle() {
        var text = ""
        for index in 0..<10_000 { text += "type T\(index) = Set<T\((index + 1) % 10_000)>;\n" }
        #expect(humanError(text)?.code == .commonTypeCycle)
    }

    @Test func chainOfCommonTypesNestingTooDeeplyIsAnError() {
        var text = "type T0 = Long;\n"
        for index in 1...300 { text += "type T\(index) = Set<T\(index - 1)>;\n" }
        let error = humanError(text)
        #expect(error?.code == .nestingTooDeep)
        #expect(error?.message == "the type nests more than 256 levels deep once its common types are inlined")
        #expect(error?.location == .json(path: #"$[""].commonTypes.T257"#))
    }

    @Test func commonTypesDoublingInSizeAreTooLarge() {
        var text = "type T0 = Long;\n"
        for index in 1...64 { text += "type T\(index) = { a: T\(index - 1), b: T\(index - 1) };\n" }
        let error = humanError(text)
        #expect(error?.code == .typeTooLarge)
        #expect(error?.location == .json(path: #"$[""].commonTypes.T19.attributes.b"#))
    }

    @Test func longChainOfCommonTypesResolves() throws {
        var text = "type T0 = Long;\n"
        for index in 1...10_000 { text += "type T\(index) = T\(index - 1);\n" }
        text += "entity A { a: T10000 };"
        let schema = try Schema(cedarSchema: text)
        #expect(schema.entityTypes[EntityType("A")]?.attributes["a"]?.type == .long)
    }

    @Test func hugeEnumResolves() throws {
        let choices = (0..<200_000).map { "\"c\($0)\"" }.joined(separator: ", ")
        let schema = try Schema(cedarSchema: "entity Color enum [\(choices)];")
        #expect(schema.entityTypes[EntityType("Color")]?.enumValues?.count == 200_000)
    }

    @Test func manyDeclarationsResolve() throws {
        var text = "entity E0;\n"
        for index in 1..<20_000 { text += "entity E\(index) in [E\(index - 1)] { a: E\(index - 1) };\n" }
        text += "action a0 appliesTo { principal: E0, resource: E1 };\n"
        for index in 1..<5_000 { text += "action a\(index) in [\"a\(index - 1)\"];\n" }
        let schema = try Schema(cedarSchema: text)
        #expect(schema.entityTypes.count == 20_000)
        #expect(schema.actions.count == 5_000)
        let fragment = try SchemaFragment.parse(cedarSchema: text)
        #expect(try SchemaFragment.parse(json: fragment.jsonText()) == fragment)
    }

    @Test func longActionCycleIsACycle() {
        var text = ""
        for index in 0..<20_000 { text += "action a\(index) in [\"a\((index + 1) % 20_000)\"];\n" }
        let error = humanError(text)
        #expect(error?.code == .actionCycle)
    }

    @Test func hugeRecordResolves() throws {
        let attributes = (0..<100_000).map { "a\($0): Long" }.joined(separator: ", ")
        let schema = try Schema(cedarSchema: "entity A { \(attributes) };")
        #expect(schema.entityTypes[EntityType("A")]?.attributes.attributes.count == 100_000)
    }
}
