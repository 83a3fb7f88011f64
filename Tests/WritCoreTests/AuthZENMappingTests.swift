import Cedar
import Foundation
import Testing
import WritCore

/// How AuthZEN types, ids, actions, properties and context become a Cedar request.
@Suite struct AuthZENMappingTests {
    private func evaluate(_ service: DecisionService, _ body: String) throws -> JSON {
        try service.authzenJSON(.evaluation, body)
    }

    // MARK: - Types and actions

    @Test func byDefaultTypesAndActionNamesAreUsedAsTheyAre() async throws {
        let service = try await TestService.make(policies: """
            @id("p") permit (principal == user::"a", action == Action::"can_read", resource == doc::"1");
            """)
        let response = try evaluate(service, #"{"subject": {"type": "user", "id": "a"}, "action": {"name": "can_read"}, "resource": {"type": "doc", "id": "1"}}"#)
        #expect(response["decision"] == .bool(true))
    }

    @Test func aNamespaceAndExplicitMapsApply() async throws {
        let mapping = AuthZENMapping(namespace: "App", entityTypes: ["user": "Directory::Person"], actions: ["can_read": "read"])
        let service = try await TestService.make(
            policies: """
                @id("p") permit (principal == Directory::Person::"a", action == App::Action::"read", resource == App::doc::"1");
                """,
            mapping: mapping)
        let response = try evaluate(service, #"{"subject": {"type": "user", "id": "a"}, "action": {"name": "can_read"}, "resource": {"type": "doc", "id": "1"}}"#)
        #expect(response["decision"] == .bool(true))
    }

    @Test func aTypeThatIsNoCedarNameIsAnInvalidIdentifier() async throws {
        let service = try await TestService.make(policies: #"@id("p") permit (principal, action, resource);"#)
        let error = service.authzenError(.evaluation, #"{"subject": {"type": "my-user", "id": "a"}, "action": {"name": "x"}, "resource": {"type": "doc", "id": "1"}}"#)
        #expect(error?.code == .invalidIdentifier)
        #expect(error?.message.hasPrefix("`subject.type` is `my-user`, which does not map to a Cedar entity type name") == true)
    }

    // MARK: - Properties

    /// Alice is stored as a viewer in Sales; docs are open to their department's
    /// members, and admins see everything.
    static let propertyPolicies = """
        @id("admins") permit (principal, action, resource) when { principal has role && principal.role == "admin" };
        @id("department") permit (principal, action, resource)
        when { principal has department && resource has department && principal.department == resource.department };
        """
    static let propertyEntities = #"[{"uid": {"type": "user", "id": "alice"}, "attrs": {"role": "viewer"}, "parents": []}]"#

    private func propertyService(_ policy: AuthZENMapping.PropertyPolicy) async throws -> DecisionService {
        try await TestService.make(
            policies: Self.propertyPolicies, entities: Self.propertyEntities,
            mapping: AuthZENMapping(propertyPolicy: policy))
    }

    private func claim(_ properties: String, resource: String = #"{"department": "Sales"}"#) -> String {
        #"{"subject": {"type": "user", "id": "alice", "properties": \#(properties)}, "action": {"name": "read"}, "resource": {"type": "doc", "id": "1", "properties": \#(resource)}}"#
    }

    @Test func fillKeepsStoredAttributesAndAddsMissingOnes() async throws {
        let service = try await propertyService(.fill)
        // Claiming to be an admin does not override the stored role.
        #expect(try evaluate(service, claim(#"{"role": "admin"}"#, resource: "{}"))["decision"] == .bool(false))
        // A department the store lacks is filled in from the request.
        #expect(try evaluate(service, claim(#"{"department": "Sales"}"#))["decision"] == .bool(true))
    }

    @Test func overrideLetsPropertiesReplaceStoredAttributes() async throws {
        let service = try await propertyService(.override)
        #expect(try evaluate(service, claim(#"{"role": "admin"}"#, resource: "{}"))["decision"] == .bool(true))
    }

    @Test func ignoreUsesOnlyStoredAttributes() async throws {
        let service = try await propertyService(.ignore)
        #expect(try evaluate(service, claim(#"{"department": "Sales"}"#))["decision"] == .bool(false))
    }

    @Test func extraMembersAreReadAsPropertiesOnlyWhenConfigured() async throws {
        let body = #"{"subject": {"type": "user", "id": "alice", "department": "Sales"}, "action": {"name": "read"}, "resource": {"type": "doc", "id": "1", "department": "Sales"}}"#
        let plain = try await propertyService(.fill)
        #expect(try evaluate(plain, body)["decision"] == .bool(false))
        let draft00 = try await TestService.make(
            policies: Self.propertyPolicies, entities: Self.propertyEntities,
            mapping: AuthZENMapping(extraMembersAsProperties: true))
        #expect(try evaluate(draft00, body)["decision"] == .bool(true))
    }

    @Test func withoutASchemaPropertiesAreReadAsCedarJSON() async throws {
        let service = try await TestService.make(policies: """
            @id("p") permit (principal, action, resource)
            when { resource.size == 3 && resource.tags.contains("x") && resource.meta.owner == principal
                   && resource.net.isInRange(ip("10.0.0.0/8")) };
            """)
        let body = #"{"subject": {"type": "user", "id": "a"}, "action": {"name": "read"}, "resource": {"type": "doc", "id": "1", "properties": {"size": 3, "tags": ["x", "y"], "meta": {"owner": {"__entity": {"type": "user", "id": "a"}}}, "net": {"__extn": {"fn": "ip", "arg": "10.1.2.3"}}}}}"#
        #expect(try evaluate(service, body)["decision"] == .bool(true))
        let float = service.authzenError(.evaluation, body.replacingOccurrences(of: #""size": 3"#, with: #""size": 3.0"#))
        #expect(float?.code == .invalidNumber)
        #expect(float?.message.hasPrefix("`resource.properties.size` is `3.0`") == true)
    }

    // MARK: - With a schema

    static let schema = """
        entity user = { department?: String };
        entity doc = { department?: String, level?: Long, network?: ipaddr, owner?: user };
        action read appliesTo { principal: user, resource: doc, context: { ticket?: Long } };
        """
    static let schemaPolicies = """
        @id("department") permit (principal, action == Action::"read", resource)
        when { principal has department && resource has department && principal.department == resource.department };
        @id("tickets") permit (principal, action == Action::"read", resource) when { context has ticket && context.ticket == 7 };
        @id("lan") permit (principal, action == Action::"read", resource)
        when { resource has network && resource.network.isInRange(ip("10.0.0.0/8")) };
        @id("owner") permit (principal, action == Action::"read", resource) when { resource has owner && resource.owner == principal };
        """

    private func schemaService() async throws -> DecisionService {
        try await TestService.make(
            policies: Self.schemaPolicies, schema: Self.schema,
            entities: #"[{"uid": {"type": "user", "id": "a"}, "attrs": {"department": "Sales"}, "parents": []}]"#)
    }

    private func read(resource: String, action: String = "read", context: String = "{}") -> String {
        #"{"subject": {"type": "user", "id": "a"}, "action": {"name": "\#(action)"}, "resource": {"type": "doc", "id": "1", "properties": \#(resource)}, "context": \#(context)}"#
    }

    @Test func withASchemaPropertiesAreReadByTheirDeclaredTypes() async throws {
        let service = try await schemaService()
        #expect(try evaluate(service, read(resource: #"{"department": "Sales"}"#))["decision"] == .bool(true))
        #expect(try evaluate(service, read(resource: #"{"network": "10.9.8.7"}"#))["decision"] == .bool(true))
        #expect(try evaluate(service, read(resource: #"{"owner": {"type": "user", "id": "a"}}"#))["decision"] == .bool(true))
        #expect(try evaluate(service, read(resource: "{}", context: #"{"ticket": 7}"#))["decision"] == .bool(true))
    }

    @Test func withASchemaUndeclaredPropertiesAndContextAreDropped() async throws {
        let service = try await schemaService()
        let response = try evaluate(service, read(resource: #"{"colour": 1.5}"#, context: #"{"mood": null}"#))
        #expect(response["decision"] == .bool(false))
        #expect(response["context"]?["error"] == nil)
    }

    @Test func withASchemaAWrongPropertyTypeIsNamedByItsPath() async throws {
        let service = try await schemaService()
        let error = service.authzenError(.evaluation, read(resource: #"{"level": "high"}"#))
        #expect(error?.code == .wrongType)
        #expect(error?.message == "`resource.properties.level`: expected `Long`, found string")
        let context = service.authzenError(.evaluation, read(resource: "{}", context: #"{"ticket": "7"}"#))
        #expect(context?.message == "`context.ticket`: expected `Long`, found string")
    }

    @Test func anUndeclaredActionOrTypeIsADenialWithItsReason() async throws {
        let service = try await schemaService()
        let action = try service.authzenText(.evaluation, read(resource: "{}", action: "print"))
        #expect(action == #"{"decision":false,"context":{"policy_set_version":1,"mode":"strict","reasons":[],"error":{"status":400,"message":"request's action `Action::\"print\"` is not declared in the schema"}}}"#)
        let type = try evaluate(service, #"{"subject": {"type": "robot", "id": "a"}, "action": {"name": "read"}, "resource": {"type": "doc", "id": "1"}}"#)
        #expect(type["decision"] == .bool(false))
        #expect(type["context"]?["error"]?["message"] == .string("principal type `robot` is not declared in the schema"))
    }

    // MARK: - The configuration file

    @Test func theConfigurationFileIsReadStrictly() throws {
        let mapping = try AuthZENMapping.parse(Array(#"{"namespace": "Todo", "entityTypes": {"user": "Todo::User"}, "propertyPolicy": "override", "extraMembersAsProperties": true}"#.utf8))
        #expect(mapping == AuthZENMapping(
            namespace: "Todo", entityTypes: ["user": "Todo::User"], propertyPolicy: .override, extraMembersAsProperties: true))
        let cases: [(String, WritError.Code)] = [
            (#"{"namespace": "Todo", "namespace": "Other"}"#, .duplicateKey),
            (#"{"namespaces": "Todo"}"#, .invalidRequest),
            (#"{"namespace": "not a name"}"#, .invalidIdentifier),
            (#"{"entityTypes": {"user": "Todo::Action"}}"#, .invalidIdentifier),
            (#"{"propertyPolicy": "merge"}"#, .invalidRequest),
            (#"{"actions": {"read": 5}}"#, .invalidRequest),
            ("[]", .invalidRequest),
        ]
        for (text, code) in cases {
            #expect(throws: WritError.self) { try AuthZENMapping.parse(Array(text.utf8)) }
            do {
                _ = try AuthZENMapping.parse(Array(text.utf8))
            } catch {
                #expect(error.code == code, "\(text)")
                #expect(error.message.hasPrefix("authzen.json"), "\(error.message)")
            }
        }
    }

    @Test func explicitTypeMapsCompareKeysByScalars() async throws {
        // A map for `é` (NFC) does not apply to `é` written as e + U+0301.
        let mapping = AuthZENMapping(entityTypes: ["caf\u{E9}": "Cafe"])
        let service = try await TestService.make(policies: #"@id("p") permit (principal is Cafe, action, resource);"#, mapping: mapping)
        #expect(try evaluate(service, #"{"subject": {"type": "caf\#u{E9}", "id": "a"}, "action": {"name": "x"}, "resource": {"type": "doc", "id": "1"}}"#)["decision"] == .bool(true))
        let error = service.authzenError(.evaluation, #"{"subject": {"type": "cafe\#u{301}", "id": "a"}, "action": {"name": "x"}, "resource": {"type": "doc", "id": "1"}}"#)
        #expect(error?.code == .invalidIdentifier)
    }
}
