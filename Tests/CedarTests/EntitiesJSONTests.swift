import Testing

@testable import Cedar

extension ExtensionBridge {
    /// A stand-in for Cedar's extensions: `ip` of a dotted quad, `decimal` of a whole
    /// number, and the method `isIpv4`.
    static let fake = ExtensionBridge(
        call: { name, arguments throws(EvaluationError) in
            guard arguments.count == 1, let argument = arguments.first else {
                throw EvaluationError(.wrongArity, "`\(name)` takes one argument")
            }
            switch (name, argument) {
            case ("ip", .string(let text)):
                let parts = text.split(separator: ".").compactMap { UInt8($0) }
                guard parts.count == 4 else { throw EvaluationError(.extensionError, "invalid IP address `\(text)`") }
                let address = parts.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
                return .ext(.ipaddr(IPAddr(isV6: false, address: address, prefixLength: 32)))
            case ("decimal", .string(let text)):
                guard let whole = Int64(text) else {
                    throw EvaluationError(.extensionError, "invalid decimal `\(text)`")
                }
                return .ext(.decimal(CedarDecimal(scaled: whole * 10_000)))
            case ("isIpv4", .ext(.ipaddr(let address))):
                return .bool(!address.isV6)
            default:
                throw EvaluationError(.extensionError, "unknown extension function `\(name)`")
            }
        },
        constructor: { value in
            switch value {
            case .ipaddr(let a):
                let octets = (0..<4).reversed().map { String((a.address >> (8 * UInt128($0))) & 0xFF) }
                return ("ip", octets.joined(separator: "."))
            case .decimal(let d): return ("decimal", String(d.scaled / 10_000))
            default: return (value.typeName, "")
            }
        })

    static let fakeLocalhost = Value.ext(.ipaddr(IPAddr(isV6: false, address: 0x7F00_0001, prefixLength: 32)))
}

private func value(_ text: String) throws -> Value {
    try ValueJSON.decode(JSON.parse(text), extensions: .fake)
}

private func entities(_ text: String) throws -> Entities {
    try EntityJSON.decodeEntities(JSON.parse(text), extensions: .fake)
}

private func decodeError(_ body: () throws -> Void) -> JSONError? {
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

@Suite struct ValueJSONReading {
    @Test func readsScalars() throws {
        #expect(try value("true") == .bool(true))
        #expect(try value("-9223372036854775808") == .long(.min))
        #expect(try value(#""héllo""#) == .string("héllo"))
    }

    @Test func arraysAreSetsAndObjectsAreRecords() throws {
        #expect(try value("[1, 2, 1]") == .set(CedarSet([.long(1), .long(2)])))
        #expect(
            try value(#"{"b": [], "a": {"c": false}}"#)
                == .record(Record([("a", .record(Record([("c", .bool(false))]))), ("b", .set(CedarSet()))])))
    }

    @Test(arguments: ["1.5", "1e2", "1.0", "-0", "9223372036854775808"])
    func nonIntegerNumbersAreInvalid(text: String) {
        let error = decodeError { _ = try value(text) }
        #expect(error?.code == .invalidValue)
        #expect(error?.message == "expected a 64-bit integer, found `\(text)`")
    }

    @Test func nullIsInvalidWithItsPath() {
        let error = decodeError { _ = try value(#"{"a": [1, {"b": null}]}"#) }
        #expect(error?.code == .invalidValue)
        #expect(error?.path == "$.a[1].b")
    }

    @Test func entityEscapeReadsAnEntity() throws {
        #expect(
            try value(#"{"__entity": {"type": "NS::User", "id": "a\"b"}}"#) == .entity(EntityUID("NS::User", "a\"b")))
    }

    @Test func entityEscapeIgnoresExtraInnerMembers() throws {
        #expect(try value(#"{"__entity": {"type": "User", "id": "a", "x": 1}}"#) == .entity(EntityUID("User", "a")))
    }

    @Test(arguments: ["A::", "A :: B", " A", "if", "A::true", "__cedar::A", "1A", "A:B", "Á"])
    func entityEscapeRejectsInvalidTypeNames(name: String) {
        let error = decodeError { _ = try value(#"{"__entity": {"type": "\#(name)", "id": "a"}}"#) }
        #expect(error?.code == .invalidValue)
        #expect(error?.path == "$.__entity.type")
    }

    @Test func objectsThatOnlyResembleEscapesAreRecords() throws {
        #expect(
            try value(#"{"type": "User", "id": "a"}"#)
                == .record(Record([("id", .string("a")), ("type", .string("User"))])))
        #expect(
            try value(#"{"__entity": {"type": "User"}}"#)
                == .record(Record([("__entity", .record(Record([("type", .string("User"))])))])))
        #expect(try value(#"{"__entity": {"type": "User", "id": "a"}, "x": 1}"#).typeName == "record")
        #expect(try value(#"{"__extn": {"fn": "ip"}}"#).typeName == "record")
    }

    @Test func extensionEscapeCallsTheFunction() throws {
        #expect(try value(#"{"__extn": {"fn": "ip", "arg": "127.0.0.1"}}"#) == ExtensionBridge.fakeLocalhost)
        #expect(try value(#"{"__extn": {"fn": "ip", "args": ["127.0.0.1"]}}"#) == ExtensionBridge.fakeLocalhost)
    }

    @Test func extensionEscapeArgumentsAreValues() throws {
        let json = #"{"__extn": {"fn": "isIpv4", "arg": {"__extn": {"fn": "ip", "arg": "10.0.0.1"}}}}"#
        #expect(try value(json) == .bool(true))
    }

    @Test func failedExtensionCallIsAnExtensionError() {
        let error = decodeError { _ = try value(#"{"a": {"__extn": {"fn": "ip", "arg": "10.0.0"}}}"#) }
        #expect(error?.code == .extensionError)
        #expect(error?.message == "invalid IP address `10.0.0`")
        #expect(error?.path == "$.a.__extn")
    }

    @Test func errorsInExtensionArgumentsAreLocated() {
        let error = decodeError { _ = try value(#"{"__extn": {"fn": "f", "args": [1, null]}}"#) }
        #expect(error?.path == "$.__extn.args[1]")
    }

    @Test func expressionEscapeIsNoLongerSupported() {
        let error = decodeError { _ = try value(#"{"__expr": "1 + 1"}"#) }
        #expect(error?.code == .invalidValue)
        #expect(error?.message == "the `__expr` escape is no longer supported")
    }
}

@Suite struct ValueJSONWriting {
    private func text(_ value: Value) throws -> String {
        try ValueJSON.encode(value, extensions: .fake).encoded()
    }

    @Test func writesEscapesForEntitiesAndExtensionValues() throws {
        #expect(try text(.entity(EntityUID("User", "a"))) == #"{"__entity":{"type":"User","id":"a"}}"#)
        #expect(try text(ExtensionBridge.fakeLocalhost) == #"{"__extn":{"fn":"ip","arg":"127.0.0.1"}}"#)
    }

    @Test func setsAreSortedByTheirJSONText() throws {
        let set = Value.set(CedarSet([.string("b"), .long(2), .bool(false), .string("a"), .long(10)]))
        #expect(try text(set) == #"["a","b",10,2,false]"#)
    }

    @Test func recordsAreWrittenInKeyOrder() throws {
        #expect(try text(.record(Record([("b", .long(1)), ("a", .string("x"))]))) == #"{"a":"x","b":1}"#)
    }

    @Test(arguments: ["__entity", "__extn", "__expr"])
    func recordsWithReservedKeysCannotBeWritten(key: String) {
        let error = decodeError { _ = try text(.record(Record([("outer", .record(Record([(key, .long(1))])))]))) }
        #expect(error?.code == .reservedKey)
        #expect(error?.path == "$.outer.\(key)")
    }

    @Test func writtenValuesReadBackEqual() throws {
        let original = Value.record(
            Record([
                (
                    "set",
                    .set(CedarSet([.long(-1), .entity(EntityUID("A::B", "\u{0}")), ExtensionBridge.fakeLocalhost]))
                ),
                ("nested", .record(Record([("s", .string("e\u{301}"))]))),
            ]))
        #expect(try ValueJSON.decode(JSON.parse(text(original)), extensions: .fake) == original)
    }
}

@Suite struct EntitiesJSONReading {
    @Test func readsAnEntitiesFile() throws {
        let es = try entities(
            #"""
            [{"uid": {"type": "User", "id": "alice"},
              "attrs": {"age": 42, "boss": {"__entity": {"type": "User", "id": "bob"}}},
              "parents": [{"type": "Group", "id": "g"}, {"__entity": {"type": "Group", "id": "h"}}],
              "tags": {"clearance": "high"},
              "ignored": {"any": "thing"}},
             {"uid": {"__entity": {"type": "Group", "id": "g"}}, "attrs": {},
              "parents": [{"type": "Group", "id": "top"}]}]
            """#)
        let alice = EntityUID("User", "alice")
        #expect(es.count == 2)
        #expect(
            es[alice]
                == Entity(
                    uid: alice,
                    attributes: Record([("age", .long(42)), ("boss", .entity(EntityUID("User", "bob")))]),
                    parents: [EntityUID("Group", "g"), EntityUID("Group", "h")],
                    tags: Record([("clearance", .string("high"))])))
        #expect(
            es.ancestors(of: alice) == [EntityUID("Group", "g"), EntityUID("Group", "h"), EntityUID("Group", "top")])
    }

    @Test(arguments: ["attrs", "parents", "uid"])
    func requiredMembersMustBePresent(key: String) {
        var members = [#""uid": {"type": "A", "id": "a"}"#, #""attrs": {}"#, #""parents": []"#]
        members.removeAll { $0.hasPrefix("\"\(key)\"") }
        let error = decodeError { _ = try entities("[{\(members.joined(separator: ","))}]") }
        #expect(error?.code == .missingKey)
        #expect(error?.message == "missing required key `\(key)`")
        #expect(error?.path == "$[0]")
    }

    @Test func tagsDefaultToEmpty() throws {
        let es = try entities(#"[{"uid": {"type": "A", "id": "a"}, "attrs": {}, "parents": []}]"#)
        #expect(es[EntityUID("A", "a")]?.tags.isEmpty == true)
    }

    @Test func wrongTypesAreLocated() {
        let error = decodeError {
            _ = try entities(#"[{"uid": {"type": "A", "id": "a"}, "attrs": null, "parents": []}]"#)
        }
        #expect(error?.code == .wrongType)
        #expect(error?.message == "expected an object, found `null`")
        #expect(error?.path == "$[0].attrs")
    }

    @Test func theFileMustBeAnArray() {
        let error = decodeError { _ = try entities(#"{"uid": {"type": "A", "id": "a"}, "attrs": {}, "parents": []}"#) }
        #expect(error?.code == .wrongType)
        #expect(error?.message == "expected an array of entities, found an object")
    }

    @Test func uidNeedsATypeAndAnID() {
        let error = decodeError { _ = try entities(#"[{"uid": {"type": "A"}, "attrs": {}, "parents": []}]"#) }
        #expect(error?.code == .missingKey)
        #expect(error?.path == "$[0].uid")
    }

    @Test func uidTypeMustBeAValidName() {
        let error = decodeError {
            _ = try entities(#"[{"uid": {"type": "if", "id": "a"}, "attrs": {}, "parents": []}]"#)
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.path == "$[0].uid.type")
    }

    @Test func attributeErrorsAreLocated() {
        let error = decodeError {
            _ = try entities(#"[{"uid": {"type": "A", "id": "a"}, "attrs": {"x": [1, 2, 3.5]}, "parents": []}]"#)
        }
        #expect(error?.path == "$[0].attrs.x[2]")
    }

    @Test func identicalRepeatsAreAllowed() throws {
        let one = #"{"uid": {"type": "A", "id": "a"}, "attrs": {"x": 1}, "parents": []}"#
        #expect(try entities("[\(one), \(one)]").count == 1)
    }

    @Test func differingRepeatsAreDuplicates() {
        let error = decodeError {
            _ = try entities(
                #"""
                [{"uid": {"type": "A", "id": "a"}, "attrs": {"x": 1}, "parents": []},
                 {"uid": {"type": "B", "id": "b"}, "attrs": {}, "parents": []},
                 {"uid": {"type": "A", "id": "a"}, "attrs": {}, "parents": []}]
                """#)
        }
        #expect(error?.code == .duplicateEntity)
        #expect(error?.message == #"duplicate entity entry `A::"a"`, different from the one at $[0]"#)
        #expect(error?.path == "$[2]")
    }

    @Test func cyclesInTheHierarchyAreRejected() {
        let error = decodeError {
            _ = try entities(
                #"""
                [{"uid": {"type": "G", "id": "b"}, "attrs": {}, "parents": [{"type": "G", "id": "c"}]},
                 {"uid": {"type": "G", "id": "c"}, "attrs": {}, "parents": [{"type": "G", "id": "a"}]},
                 {"uid": {"type": "G", "id": "a"}, "attrs": {}, "parents": [{"type": "G", "id": "b"}]}]
                """#)
        }
        #expect(error?.code == .hierarchyCycle)
        #expect(error?.message == #"the entity hierarchy has a cycle containing `G::"a"`"#)
        #expect(error?.path == "$[2]")
    }

    @Test func anEntityThatIsItsOwnParentIsACycle() {
        let error = decodeError {
            _ = try entities(
                #"[{"uid": {"type": "G", "id": "a"}, "attrs": {}, "parents": [{"type": "G", "id": "a"}]}]"#)
        }
        #expect(error?.code == .hierarchyCycle)
    }

    @Test func actionsMayOnlyHaveActionParents() throws {
        let error = decodeError {
            _ = try entities(
                #"[{"uid": {"type": "Action", "id": "a"}, "attrs": {}, "parents": [{"type": "A", "id": "b"}]}]"#)
        }
        #expect(error?.code == .nonActionParent)
        #expect(error?.path == "$[0].parents[0]")
        _ = try entities(
            #"[{"uid": {"type": "A", "id": "a"}, "attrs": {}, "parents": [{"type": "NS::Action", "id": "b"}]}]"#)
    }

    @Test func attributeNestingBeyondTheLimitIsTooDeep() {
        let deep = String(repeating: "[", count: 125) + String(repeating: "]", count: 125)
        let error = decodeError {
            _ = try EntityJSON.parseEntities(
                #"[{"uid": {"type": "A", "id": "a"}, "attrs": {"x": \#(deep)}, "parents": []}]"#)
        }
        #expect(error?.code == .tooDeep)
    }

    @Test func readsLargeFiles() throws {
        let entity =
            #"{"uid": {"type": "User", "id": "u%d"}, "attrs": {"n": %d, "tags": ["a", "b"]}, "#
            + #""parents": [{"type": "Group", "id": "g%d"}]}"#
        let body = (0..<20_000).map { i in
            entity.replacingOccurrences("%d", with: String(i), groupOf: i % 10)
        }.joined(separator: ",")
        let es = try EntityJSON.parseEntities(Array("[\(body)]".utf8))
        #expect(es.count == 20_000)
        #expect(es.ancestors(of: EntityUID("User", "u7")) == [EntityUID("Group", "g7")])
    }
}

private extension String {
    /// Fills the three `%d` of the entity template: id, attribute, parent group.
    func replacingOccurrences(_ marker: String, with id: String, groupOf group: Int) -> String {
        let pieces = split(separator: marker, omittingEmptySubsequences: false).map(String.init)
        guard pieces.count == 4 else { return self }
        return pieces[0] + id + pieces[1] + id + pieces[2] + String(group) + pieces[3]
    }
}

@Suite struct ContextAndRequestJSON {
    @Test func contextIsARecord() throws {
        let context = try EntityJSON.decodeContext(
            JSON.parse(#"{"ip": {"__extn": {"fn": "ip", "arg": "127.0.0.1"}}}"#), extensions: .fake)
        #expect(context == Record([("ip", ExtensionBridge.fakeLocalhost)]))
    }

    @Test func contextMustBeARecord() {
        let error = decodeError { _ = try EntityJSON.parseContext("[1]") }
        #expect(error?.code == .wrongType)
        #expect(error?.message == "expected the context to be a record, found a value of type set")
    }

    @Test func readsAConformanceTestRequest() throws {
        let request = try EntityJSON.parseRequest(
            #"""
            {"description": "Request 0",
             "principal": {"type": "tB", "id": ""},
             "action": {"__entity": {"type": "Action", "id": "action"}},
             "resource": {"type": "NS::R", "id": "r"},
             "context": {"n": 1},
             "decision": "allow", "reason": ["policy0"], "errors": []}
            """#)
        #expect(
            request
                == Request(
                    principal: EntityUID("tB", ""), action: EntityUID("Action", "action"),
                    resource: EntityUID("NS::R", "r"),
                    context: Record([("n", .long(1))])))
    }

    @Test func contextDefaultsToEmpty() throws {
        let request = try EntityJSON.parseRequest(
            #"{"principal": {"type": "U", "id": "a"}, "action": {"type": "Action", "id": "v"}, "#
                + #""resource": {"type": "R", "id": "r"}}"#
        )
        #expect(request.context.isEmpty)
    }

    @Test func requestEntitiesMustBeReferences() {
        let error = decodeError {
            _ = try EntityJSON.parseRequest(#"{"principal": "User::\"a\"", "action": {}, "resource": {}}"#)
        }
        #expect(error?.code == .wrongType)
        #expect(error?.path == "$.principal")
    }

    @Test func requestsRoundTrip() throws {
        let request = Request(
            principal: EntityUID("U", "a"), action: EntityUID("Action", "v"), resource: EntityUID("R", "r"),
            context: Record([("k", .set(CedarSet([.string("x")])))]))
        #expect(try EntityJSON.parseRequest(EntityJSON.encode(request)) == request)
    }
}

@Suite struct EntitiesJSONWriting {
    @Test func writesEntitiesSortedWithDirectParentsAndTagsOnlyWhenPresent() throws {
        let es = Entities([
            Entity(
                uid: EntityUID("User", "b"), attributes: Record([("n", .long(1))]),
                parents: [EntityUID("G", "y"), EntityUID("G", "x")], tags: Record([("t", .bool(true))])),
            Entity(uid: EntityUID("G", "x"), parents: [EntityUID("G", "top")]),
        ])
        let expected = """
            [
              {
                "uid": {
                  "type": "G",
                  "id": "x"
                },
                "attrs": {},
                "parents": [
                  {
                    "type": "G",
                    "id": "top"
                  }
                ]
              },
              {
                "uid": {
                  "type": "User",
                  "id": "b"
                },
                "attrs": {
                  "n": 1
                },
                "parents": [
                  {
                    "type": "G",
                    "id": "x"
                  },
                  {
                    "type": "G",
                    "id": "y"
                  }
                ],
                "tags": {
                  "t": true
                }
              }
            ]
            """
        #expect(try EntityJSON.encode(es, pretty: true) == expected)
    }

    @Test func writtenEntitiesReadBackEqual() throws {
        let original = [
            Entity(
                uid: EntityUID("A", "a"), attributes: Record([("ip", ExtensionBridge.fakeLocalhost)]),
                parents: [EntityUID("A", "b")], tags: Record([("k", .string("v"))])),
            Entity(uid: EntityUID("A", "b"), attributes: Record([("e", .entity(EntityUID("A", "a")))])),
        ]
        let text = try EntityJSON.encodeEntities(Entities(original), extensions: .fake).encoded()
        let read = try entities(text)
        #expect(read.count == 2)
        for entity in original { #expect(read[entity.uid] == entity) }
    }
}
