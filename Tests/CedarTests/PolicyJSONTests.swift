import Foundation
import Testing

@testable import Cedar

private func expr(_ text: String) throws -> Expr {
    try PolicyJSON.decodeExpr(JSON.parse(text))
}

private func policy(_ text: String, id: PolicyID = "p") throws -> Policy {
    try PolicyJSON.decodePolicy(text, id: id)
}

/// A policy whose `key` member is replaced by `json`.
private func policyText(_ key: String, _ json: String) -> String {
    var members = [
        "effect": #""permit""#, "principal": #"{"op": "All"}"#, "action": #"{"op": "All"}"#,
        "resource": #"{"op": "All"}"#, "conditions": "[]",
    ]
    members[key] = json
    let order =
        ["effect", "principal", "action", "resource", "conditions", "annotations"]
        + members.keys.filter {
            !["effect", "principal", "action", "resource", "conditions", "annotations"].contains($0)
        }
    return "{" + order.compactMap { k in members[k].map { "\"\(k)\": \($0)" } }.joined(separator: ", ") + "}"
}

private func whenText(_ body: String) -> String {
    policyText("conditions", #"[{"kind": "when", "body": \#(body)}]"#)
}

private func jsonError(_ body: () throws -> Void) -> JSONError? {
    do {
        try body()
        Issue.record("expected an error")
    } catch let error as JSONError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
    }
    return nil
}

private let principal = Expr(.variable(.principal))
private func long(_ n: Int64) -> Expr { Expr(.value(.long(n))) }

@Suite struct PolicyJSONExpressions {
    @Test func readsValuesVariablesAndSlots() throws {
        #expect(try expr(#"{"Value": -3}"#) == long(-3))
        #expect(
            try expr(#"{"Value": {"__entity": {"type": "A::B", "id": "x"}}}"#)
                == Expr(.value(.entity(EntityUID("A::B", "x")))))
        #expect(try expr(#"{"Var": "context"}"#) == Expr(.variable(.context)))
        #expect(try expr(#"{"Slot": "?resource"}"#) == Expr(.slot(.resource)))
    }

    @Test(arguments: BinaryOperator.allCases)
    func readsEveryBinaryOperator(op: BinaryOperator) throws {
        let json = #"{"\#(op.rawValue)": {"left": {"Var": "principal"}, "right": {"Value": 1}}}"#
        #expect(try expr(json) == Expr(.binary(op, principal, long(1))))
    }

    @Test func readsLogicalAndUnaryOperators() throws {
        let p = #"{"Var": "principal"}"#
        #expect(try expr(#"{"&&": {"left": \#(p), "right": \#(p)}}"#) == Expr(.and(principal, principal)))
        #expect(try expr(#"{"||": {"left": \#(p), "right": \#(p)}}"#) == Expr(.or(principal, principal)))
        #expect(try expr(#"{"!": {"arg": \#(p)}}"#) == Expr(.not(principal)))
        #expect(try expr(#"{"neg": {"arg": \#(p)}}"#) == Expr(.negate(principal)))
        #expect(try expr(#"{"isEmpty": {"arg": \#(p)}}"#) == Expr(.isEmpty(principal)))
    }

    @Test func readsAttributesConditionalsAndTypeTests() throws {
        let p = #"{"Var": "principal"}"#
        #expect(try expr(#"{".": {"left": \#(p), "attr": "a b"}}"#) == Expr(.getAttribute(principal, "a b")))
        #expect(try expr(#"{"has": {"left": \#(p), "attr": "a"}}"#) == Expr(.hasAttribute(principal, "a")))
        #expect(
            try expr(#"{"if-then-else": {"if": \#(p), "then": {"Value": 1}, "else": {"Value": 2}}}"#)
                == Expr(.ifThenElse(principal, then: long(1), else: long(2))))
        #expect(
            try expr(#"{"is": {"left": \#(p), "entity_type": "NS::User"}}"#)
                == Expr(.isType(principal, EntityType("NS::User"), in: nil)))
        #expect(
            try expr(#"{"is": {"left": \#(p), "entity_type": "User", "in": null}}"#)
                == Expr(.isType(principal, EntityType("User"), in: nil)))
        #expect(
            try expr(#"{"is": {"left": \#(p), "entity_type": "User", "in": \#(p)}}"#)
                == Expr(.isType(principal, EntityType("User"), in: principal)))
    }

    @Test func extendedHasReadsAsAChainOfTests() throws {
        let json = #"{"has": {"left": {"Var": "principal"}, "attr": ["a", "b", "c"]}}"#
        let a = Expr(.getAttribute(principal, "a"))
        let ab = Expr(.getAttribute(a, "b"))
        let expected = Expr(
            .and(
                Expr(.and(Expr(.hasAttribute(principal, "a")), Expr(.hasAttribute(a, "b")))),
                Expr(.hasAttribute(ab, "c"))))
        #expect(try expr(json) == expected)
    }

    @Test func hasIgnoresExtraMembersAsRustDoes() throws {
        #expect(
            try expr(#"{"has": {"left": {"Var": "principal"}, "attr": "a", "x": 1}}"#)
                == Expr(.hasAttribute(principal, "a")))
    }

    @Test func patternLiteralsSplitIntoScalars() throws {
        let json =
            #"{"like": {"left": {"Var": "principal"}, "#
            + #""pattern": ["Wildcard", {"Literal": "a\u00e9*"}, {"Wildcard": null}]}}"#
        #expect(
            try expr(json)
                == Expr(
                    .like(principal, Pattern([.wildcard, .literal("a"), .literal("\u{E9}"), .literal("*"), .wildcard])))
        )
    }

    @Test func readsSetsRecordsAndCalls() throws {
        #expect(try expr(#"{"Set": [{"Value": 1}, {"Var": "principal"}]}"#) == Expr(.set([long(1), principal])))
        #expect(
            try expr(#"{"Record": {"b": {"Value": 1}, "a": {"Var": "principal"}}}"#)
                == Expr(.record([RecordField(key: "b", value: long(1)), RecordField(key: "a", value: principal)])))
        #expect(
            try expr(#"{"isInRange": [{"ip": [{"Value": "10.0.0.1"}]}, {"Var": "context"}]}"#)
                == Expr(
                    .call(
                        "isInRange",
                        [Expr(.call("ip", [Expr(.value(.string("10.0.0.1")))])), Expr(.variable(.context))])))
    }

    @Test func literalSetsRecordsAndExtensionEscapesReadAsExpressions() throws {
        #expect(
            try expr(#"{"Value": [1, {"a": true}]}"#)
                == Expr(.set([long(1), Expr(.record([RecordField(key: "a", value: Expr(.value(.bool(true))))]))])))
        #expect(
            try expr(#"{"Value": {"__extn": {"fn": "decimal", "arg": "1.5"}}}"#)
                == Expr(.call("decimal", [Expr(.value(.string("1.5")))])))
        #expect(
            try expr(#"{"Value": {"__extn": {"fn": "offset", "args": ["x", 2]}}}"#)
                == Expr(.call("offset", [Expr(.value(.string("x"))), long(2)])))
        #expect(
            try expr(#"{"Value": {"type": "User", "id": "a"}}"#)
                == Expr(
                    .record([
                        RecordField(key: "type", value: Expr(.value(.string("User")))),
                        RecordField(key: "id", value: Expr(.value(.string("a")))),
                    ])))
    }

    @Test(arguments: [
        (#"{}"#, JSONError.Code.invalidValue, "$"),
        (#"{"Var": "principal", "Value": 1}"#, .invalidValue, "$"),
        (#"[]"#, .wrongType, "$"),
        (#"{"foo": []}"#, .unknownOperator, "$.foo"),
        (#"{"Var": "Principal"}"#, .invalidValue, "$.Var"),
        (#"{"Slot": "?other"}"#, .invalidValue, "$.Slot"),
        (#"{"Value": null}"#, .invalidValue, "$.Value"),
        (#"{"Value": 1.5}"#, .invalidValue, "$.Value"),
        (#"{"Value": 9223372036854775808}"#, .invalidValue, "$.Value"),
        (#"{"Value": {"__expr": "1"}}"#, .invalidValue, "$.Value.__expr"),
        (#"{"Value": {"__entity": {"type": "A::", "id": "a"}}}"#, .invalidValue, "$.Value.__entity.type"),
        (#"{"Value": {"__extn": {"fn": "no pe", "arg": "a"}}}"#, .invalidValue, "$.Value.__extn.fn"),
        (#"{"==": {"left": {"Value": 1}}}"#, .missingKey, #"$["=="]"#),
        (#"{"==": {"left": {"Value": 1}, "right": {"Value": 1}, "x": 1}}"#, .unknownKey, #"$["=="].x"#),
        (#"{"!": {"arg": {"Value": true}, "left": {"Value": true}}}"#, .unknownKey, #"$["!"].left"#),
        (#"{".": {"left": {"Var": "principal"}, "attr": 1}}"#, .wrongType, #"$["."].attr"#),
        (#"{"has": {"left": {"Var": "principal"}, "attr": []}}"#, .invalidValue, "$.has.attr"),
        (#"{"like": {"left": {"Var": "principal"}, "pattern": ["wildcard"]}}"#, .invalidValue, "$.like.pattern[0]"),
        (#"{"like": {"left": {"Var": "principal"}, "pattern": "a*"}}"#, .wrongType, "$.like.pattern"),
        (#"{"is": {"left": {"Var": "principal"}, "entity_type": "Us er"}}"#, .invalidValue, "$.is.entity_type"),
        (#"{"ip": {"Value": "1"}}"#, .wrongType, "$.ip"),
        (#"{"Set": [{"Value": 1}, {"Nope": 1}]}"#, .unknownOperator, "$.Set[1].Nope"),
    ])
    func rejectsMalformedExpressions(text: String, code: JSONError.Code, path: String) {
        let error = jsonError { _ = try expr(text) }
        #expect(error?.code == code)
        #expect(error?.path == path)
    }

    @Test func unknownOperatorsAreNamed() {
        let error = jsonError { _ = try expr(#"{"foo": []}"#) }
        #expect(error?.message == "unknown operator or extension function `foo`")
    }

    @Test func hostileNestingIsBoundedByTheReader() {
        let deep =
            String(repeating: #"{"!": {"arg": "#, count: 100) + #"{"Value": true}"#
            + String(repeating: "}}", count: 100)
        let error = jsonError { _ = try policy(whenText(deep)) }
        #expect(error?.code == .tooDeep)
    }
}

@Suite struct PolicyJSONPolicies {
    @Test func readsAFullPolicy() throws {
        let text = #"""
            {"effect": "forbid",
             "principal": {"op": "is", "entity_type": "User", "in": {"entity": {"type": "Group", "id": "g"}}},
             "action": {"op": "in",
                        "entities": [{"type": "Action", "id": "a"}, {"__entity": {"type": "NS::Action", "id": "b"}}]},
             "resource": {"op": "==", "slot": "?resource"},
             "conditions": [{"kind": "when", "body": {"Value": true}}, {"kind": "unless", "body": {"Var": "context"}}],
             "annotations": {"id": "x", "bare": null}}
            """#
        let expected = Policy(
            id: "p7", effect: .forbid,
            principal: .isIn(EntityType("User"), .entity(EntityUID("Group", "g"))),
            action: .inSet([EntityUID("Action", "a"), EntityUID("NS::Action", "b")]),
            resource: .equal(.slot(.resource)),
            conditions: [Condition(.when, Expr(.value(.bool(true)))), Condition(.unless, Expr(.variable(.context)))],
            annotations: [Annotation(key: "id", value: "x"), Annotation(key: "bare", value: "")])
        #expect(try policy(text, id: "p7") == expected)
    }

    @Test func readsEveryScopeForm() throws {
        let uid = #"{"type": "A", "id": "a"}"#
        #expect(try policy(policyText("principal", #"{"op": "all"}"#)).principal == .any)
        #expect(
            try policy(policyText("principal", #"{"op": "==", "entity": \#(uid)}"#)).principal
                == .equal(.entity(EntityUID("A", "a"))))
        #expect(
            try policy(policyText("principal", #"{"op": "in", "slot": "?principal"}"#)).principal
                == .in(.slot(.principal)))
        #expect(
            try policy(policyText("resource", #"{"op": "is", "entity_type": "R"}"#)).resource == .is(EntityType("R")))
        #expect(
            try policy(policyText("resource", #"{"op": "is", "entity_type": "R", "in": {"slot": "?resource"}}"#))
                .resource
                == .isIn(EntityType("R"), .slot(.resource)))
        #expect(
            try policy(policyText("action", #"{"op": "==", "entity": {"type": "Action", "id": "v"}}"#)).action
                == .equal(EntityUID("Action", "v")))
        #expect(
            try policy(policyText("action", #"{"op": "in", "entity": {"type": "Action", "id": "v"}}"#)).action
                == .in(EntityUID("Action", "v")))
    }

    @Test func extraMembersBesideAnEntityAreIgnoredAsRustDoes() throws {
        let text = policyText(
            "principal", #"{"op": "==", "entity": {"type": "A", "id": "a"}, "slot": "?resource", "x": 1}"#)
        #expect(try policy(text).principal == .equal(.entity(EntityUID("A", "a"))))
    }

    @Test(arguments: [
        (policyText("effect", #""Permit""#), JSONError.Code.invalidValue, "$.effect"),
        (policyText("principal", #"{"op": "==", "slot": "?resource"}"#), .invalidPolicy, "$.principal.slot"),
        (policyText("principal", #"{"op": "=="}"#), .missingKey, "$.principal"),
        (policyText("principal", #"{"op": "is", "entity_type": "A", "x": 1}"#), .unknownKey, "$.principal.x"),
        (
            policyText("principal", #"{"op": "is", "entity_type": "A", "in": {"type": "A", "id": "a"}}"#), .missingKey,
            "$.principal.in"
        ),
        (policyText("principal", #"{"op": "ALL"}"#), .invalidValue, "$.principal.op"),
        (policyText("action", #"{"op": "==", "slot": "?principal"}"#), .invalidPolicy, "$.action"),
        (policyText("action", #"{"op": "==", "entity": {"type": "A", "id": "a"}}"#), .invalidPolicy, "$.action.entity"),
        (
            policyText(
                "action", #"{"op": "in", "entities": [{"type": "Action", "id": "a"}, {"type": "User", "id": "u"}]}"#),
            .invalidPolicy, "$.action.entities[1]"
        ),
        (policyText("action", #"{"op": "is", "entity_type": "Action"}"#), .invalidValue, "$.action.op"),
        (
            policyText("conditions", #"[{"kind": "When", "body": {"Value": true}}]"#), .invalidValue,
            "$.conditions[0].kind"
        ),
        (policyText("conditions", #"[{"kind": "when"}]"#), .missingKey, "$.conditions[0]"),
        (
            policyText("conditions", #"[{"kind": "when", "body": {"Value": true}, "x": 1}]"#), .unknownKey,
            "$.conditions[0].x"
        ),
        (
            whenText(#"{"==": {"left": {"Var": "principal"}, "right": {"Slot": "?principal"}}}"#), .invalidPolicy,
            "$.conditions[0].body"
        ),
        (policyText("annotations", #"{"a b": "x"}"#), .invalidValue, #"$.annotations["a b"]"#),
        (policyText("annotations", #"{"a": 1}"#), .wrongType, "$.annotations.a"),
        (policyText("annotations", "null"), .wrongType, "$.annotations"),
        (policyText("foo", "1"), .unknownKey, "$.foo"),
        (policyText("conditions", "{}"), .wrongType, "$.conditions"),
    ])
    func rejectsMalformedPolicies(text: String, code: JSONError.Code, path: String) {
        let error = jsonError { _ = try policy(text) }
        #expect(error?.code == code)
        #expect(error?.path == path)
    }

    @Test func slotsInConditionsAreNamed() {
        let error = jsonError { _ = try policy(whenText(#"{"Slot": "?principal"}"#)) }
        #expect(error?.message == "found template slot `?principal` in a `when` clause")
    }

    @Test func annotationKeysMayBeReservedWords() throws {
        #expect(try policy(policyText("annotations", #"{"if": "x"}"#)).annotation("if") == "x")
    }

    @Test func writesAPolicyInRustCedarsKeyOrder() {
        let p = Policy(
            id: "p", effect: .permit,
            principal: .isIn(EntityType("User"), .slot(.principal)),
            action: .inSet([EntityUID("Action", "view")]),
            resource: .any,
            conditions: [Condition(.unless, Expr(.like(principal, Pattern([.literal("a"), .wildcard]))))],
            annotations: [Annotation(key: "z", value: ""), Annotation(key: "a", value: "v")])
        let expected =
            #"{"effect":"permit","principal":{"op":"is","entity_type":"User","in":{"slot":"?principal"}},"#
            + #""action":{"op":"in","entity":{"type":"Action","id":"view"}},"resource":{"op":"All"},"#
            + #""conditions":[{"kind":"unless","body":{"like":{"left":{"Var":"principal"},"#
            + #""pattern":[{"Literal":"a"},"Wildcard"]}}}],"annotations":{"a":"v","z":""}}"#
        #expect(PolicyJSON.encode(p) == expected)
    }

    @Test func writesLiteralCollectionsAsExpressions() {
        let value = Value.record(
            Record([("b", .set(CedarSet([.long(2), .long(1)]))), ("a", ExtensionBridge.fakeLocalhost)]))
        let json = PolicyJSON.encodeExpr(Expr(.value(value)), extensions: .fake)
        #expect(
            json.encoded() == #"{"Record":{"a":{"ip":[{"Value":"127.0.0.1"}]},"b":{"Set":[{"Value":1},{"Value":2}]}}}"#)
    }

    @Test func writtenPoliciesReadBackEqual() throws {
        let p = Policy(
            id: "p", effect: .forbid,
            principal: .in(.entity(EntityUID("G", "\u{0}\""))),
            action: .inSet([EntityUID("Action", "a"), EntityUID("Action", "b")]),
            resource: .is(EntityType("R")),
            conditions: [
                Condition(
                    .when,
                    Expr(
                        .record([
                            RecordField(
                                key: "a",
                                value: Expr(
                                    .ifThenElse(
                                        Expr(.isEmpty(Expr(.set([])))), then: Expr(.negate(long(1))),
                                        else: Expr(.call("decimal", [Expr(.value(.string("1.0")))])))))
                        ])))
            ],
            annotations: [Annotation(key: "a", value: "\u{1F600}")])
        #expect(try PolicyJSON.decodePolicy(PolicyJSON.encode(p, pretty: true), id: "p") == p)
    }
}

@Suite struct PolicyJSONPolicySets {
    private let staticPolicy =
        #"{"effect": "permit", "principal": {"op": "All"}, "action": {"op": "All"}, "resource": {"op": "All"}, "#
        + #""conditions": []}"#
    private let template =
        #"{"effect": "permit", "principal": {"op": "==", "slot": "?principal"}, "action": {"op": "All"}, "#
        + #""resource": {"op": "All"}, "conditions": []}"#

    private func set(statics: String = "{}", templates: String = "{}", links: String = "[]") -> String {
        #"{"staticPolicies": \#(statics), "templates": \#(templates), "templateLinks": \#(links)}"#
    }

    private func link(_ templateID: String, _ newID: String, _ values: String) -> String {
        #"{"templateId": "\#(templateID)", "newId": "\#(newID)", "values": \#(values)}"#
    }

    @Test func readsPoliciesTemplatesAndLinks() throws {
        let text = set(
            statics: #"{"s": \#(staticPolicy)}"#, templates: #"{"t": \#(template)}"#,
            links: "[\(link("t", "l", #"{"?principal": {"__entity": {"type": "U", "id": "u"}}}"#))]")
        let document = try PolicyJSON.decodePolicySet(text)
        #expect(document.staticPolicies.map(\.id) == ["s"])
        #expect(document.templates.map(\.id) == ["t"])
        #expect(document.templates.first?.principal == .equal(.slot(.principal)))
        #expect(
            document.templateLinks == [
                TemplateLink(templateID: "t", newID: "l", values: [.principal: EntityUID("U", "u")])
            ])
    }

    @Test func templatesWithoutSlotsAreAllowed() throws {
        let text = set(templates: #"{"t": \#(staticPolicy)}"#, links: "[\(link("t", "l", "{}"))]")
        #expect(try PolicyJSON.decodePolicySet(text).templateLinks.count == 1)
    }

    @Test(arguments: [
        ("{}", JSONError.Code.missingKey, "$"),
        (#"{"staticPolicies": {}, "templates": {}, "templateLinks": [], "x": 1}"#, .unknownKey, "$.x"),
    ])
    func requiresExactlyTheThreeMembers(text: String, code: JSONError.Code, path: String) {
        let error = jsonError { _ = try PolicyJSON.decodePolicySet(text) }
        #expect(error?.code == code)
        #expect(error?.path == path)
    }

    @Test func staticPoliciesMayNotHaveSlots() {
        let error = jsonError { _ = try PolicyJSON.decodePolicySet(set(statics: #"{"s": \#(template)}"#)) }
        #expect(error?.code == .invalidPolicy)
        #expect(error?.message == "expected a static policy, but `s` has the slot `?principal`")
        #expect(error?.path == "$.staticPolicies.s")
    }

    @Test func idsMustBeUniqueAcrossPoliciesAndTemplates() {
        let error = jsonError {
            _ = try PolicyJSON.decodePolicySet(
                set(statics: #"{"p": \#(staticPolicy)}"#, templates: #"{"p": \#(template)}"#))
        }
        #expect(error?.code == .duplicatePolicyID)
        #expect(error?.path == "$.templates.p")
    }

    @Test(arguments: [
        (
            #"[\#(#"{"templateId": "x", "newId": "l", "values": {}}"#)]"#, JSONError.Code.invalidLink,
            "$.templateLinks[0].templateId"
        ),
        (#"[{"templateId": "t", "newId": "l", "values": {}}]"#, .invalidLink, "$.templateLinks[0].values"),
        (
            #"[{"templateId": "t", "newId": "l", "#
                + #""values": {"?principal": {"type": "U", "id": "u"}, "?resource": {"type": "U", "id": "u"}}}]"#,
            .invalidLink, #"$.templateLinks[0].values["?resource"]"#
        ),
        (
            #"[{"templateId": "t", "newId": "t", "values": {"?principal": {"type": "U", "id": "u"}}}]"#,
            .duplicatePolicyID, "$.templateLinks[0].newId"
        ),
        (
            #"[{"templateId": "t", "newId": "l", "values": {"?principal": {"type": "U", "id": "u"}}}, "#
                + #"{"templateId": "t", "newId": "l", "values": {"?principal": {"type": "U", "id": "v"}}}]"#,
            .duplicatePolicyID, "$.templateLinks[1].newId"
        ),
        (
            #"[{"templateId": "t", "newId": "l", "values": {"?foo": {"type": "U", "id": "u"}}}]"#, .invalidValue,
            #"$.templateLinks[0].values["?foo"]"#
        ),
        (
            #"[{"templateId": "t", "newId": "l", "values": {"?principal": {"type": "U::", "id": "u"}}}]"#,
            .invalidValue,
            #"$.templateLinks[0].values["?principal"].type"#
        ),
        (#"[{"templateId": "t", "newId": "l", "values": {}, "x": 1}]"#, .unknownKey, "$.templateLinks[0].x"),
    ])
    func rejectsBadLinks(links: String, code: JSONError.Code, path: String) {
        let error = jsonError {
            _ = try PolicyJSON.decodePolicySet(set(templates: #"{"t": \#(template)}"#, links: links))
        }
        #expect(error?.code == code)
        #expect(error?.path == path)
    }

    @Test func linksToStaticPoliciesNameNoTemplate() {
        let error = jsonError {
            _ = try PolicyJSON.decodePolicySet(
                set(statics: #"{"s": \#(staticPolicy)}"#, links: "[\(link("s", "l", "{}"))]"))
        }
        #expect(error?.message == "failed to find a template with id `s`")
    }

    @Test func writesAPolicySetWithExplicitEntityLinkValues() throws {
        let document = PolicyJSON.Document(
            staticPolicies: [Policy(id: "s", effect: .permit)],
            templates: [Policy(id: "t", effect: .forbid, principal: .equal(.slot(.principal)))],
            templateLinks: [TemplateLink(templateID: "t", newID: "l", values: [.principal: EntityUID("U", "u")])])
        let text = PolicyJSON.encode(document)
        let all = #"{"op":"All"}"#
        let expected =
            #"{"templates":{"t":{"effect":"forbid","principal":{"op":"==","slot":"?principal"},"#
            + #""action":\#(all),"resource":\#(all),"conditions":[]}},"#
            + #""staticPolicies":{"s":{"effect":"permit","principal":\#(all),"#
            + #""action":\#(all),"resource":\#(all),"conditions":[]}},"#
            + #""templateLinks":[{"templateId":"t","newId":"l","#
            + #""values":{"?principal":{"__entity":{"type":"U","id":"u"}}}}]}"#
        #expect(text == expected)
        #expect(try PolicyJSON.decodePolicySet(text) == document)
    }
}

/// Policies from the Cedar corpus and a few handwritten ones, with the JSON that Rust
/// Cedar (cedarpy's `policies_to_json_str`) gives for them: `Fixtures/est/NAME.cedar`
/// and `NAME.json`.
@Suite struct PolicyJSONFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/est")

    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(".json".count)) }.sorted()
    }()

    @Test func fixturesArePresentInPairs() {
        #expect(Self.names.count >= 38)
        for name in Self.names {
            #expect(FileManager.default.fileExists(atPath: Self.directory.appendingPathComponent(name + ".cedar").path))
        }
    }

    /// Rust writes an annotation given without a value as `null`; ours has the value `""`.
    private func normalizingAnnotations(_ json: JSON) -> JSON {
        switch json {
        case .array(let elements):
            return .array(elements.map(normalizingAnnotations))
        case .object(let object):
            return .object(
                JSONObject(
                    uniqueMembers: object.members.map { member in
                        guard member.key == "annotations", case .object(let annotations) = member.value else {
                            return (member.key, normalizingAnnotations(member.value))
                        }
                        return (
                            member.key,
                            .object(
                                JSONObject(
                                    uniqueMembers: annotations.members.map {
                                        ($0.key, $0.value == .null ? "" : $0.value)
                                    }))
                        )
                    }))
        default:
            return json
        }
    }

    @Test(arguments: names)
    func rewritesRustCedarsJSONIdentically(name: String) throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent(name + ".json"), encoding: .utf8)
        let expected = normalizingAnnotations(try JSON.parse(text))
        let document = try PolicyJSON.decodePolicySet(expected)
        #expect(PolicyJSON.encodePolicySet(document).encoded(pretty: true) == expected.encoded(pretty: true))
    }

    @Test(arguments: names)
    func decodingTheRewrittenJSONGivesTheSamePolicies(name: String) throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent(name + ".json"), encoding: .utf8)
        let document = try PolicyJSON.decodePolicySet(text)
        #expect(try PolicyJSON.decodePolicySet(PolicyJSON.encode(document)) == document)
    }
}
