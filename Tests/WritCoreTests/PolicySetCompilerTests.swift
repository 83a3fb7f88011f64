import Cedar
import Testing
import WritCore

@Suite struct PolicySetCompilerTests {
    let schema = SchemaSource(format: .cedar, file: SourceFile(name: "app.cedarschema", text: """
        entity User { roles: Set<String> };
        entity Doc { owner: User };
        action read appliesTo { principal: User, resource: Doc };
        """))

    @Test func policiesTakeTheirIDFromTheIdAnnotationOrTheirPosition() throws {
        let compiled = try PolicySetCompiler.compile(files: [
            SourceFile(name: "a.cedar", text: "@id(\"owner-reads\") permit(principal, action, resource);"),
            SourceFile(name: "b.cedar", text: "forbid(principal, action, resource) when { false };"),
        ], schema: nil)
        #expect(compiled.policies.policies.map(\.id) == ["owner-reads", "policy1"])
        #expect(compiled.fileOfPolicy == ["owner-reads": "a.cedar", "policy1": "b.cedar"])
    }

    @Test func aParseErrorNamesTheFileLineAndColumn() {
        #expect {
            try PolicySetCompiler.compile(files: [
                SourceFile(name: "good.cedar", text: "permit(principal, action, resource);"),
                SourceFile(name: "bad.cedar", text: "permit(principal, action, resource)\nwhen { principal. };"),
            ], schema: nil)
        } throws: { error in
            guard let error = error as? WritError else { return false }
            return error.code == .policyParseError && error.message.hasPrefix("bad.cedar:2:")
                && error.details.first?.location == WritError.Location(file: "bad.cedar", line: 2, column: error.details.first?.location?.column)
        }
    }

    @Test func aDuplicateIDAcrossFilesIsRejectedNamingBothFiles() {
        #expect(throws: WritError(.invalidPolicySet, "")) {
            try PolicySetCompiler.compile(files: [
                SourceFile(name: "a.cedar", text: "@id(\"p\") permit(principal, action, resource);"),
                SourceFile(name: "b.cedar", text: "@id(\"p\") forbid(principal, action, resource);"),
            ], schema: nil)
        }
        do {
            _ = try PolicySetCompiler.compile(files: [
                SourceFile(name: "a.cedar", text: "@id(\"p\") permit(principal, action, resource);"),
                SourceFile(name: "b.cedar", text: "@id(\"p\") forbid(principal, action, resource);"),
            ], schema: nil)
        } catch {
            #expect(error.message == "policy id `p` is used twice: in a.cedar and in b.cedar")
        }
    }

    @Test func policiesThatDoNotValidateAreRejectedWithEveryErrorPlaced() {
        do {
            _ = try PolicySetCompiler.compile(files: [
                SourceFile(name: "p.cedar", text: """
                    @id("typo")
                    permit(principal, action == Action::"read", resource)
                    when { resource.ownr == principal };
                    """),
            ], schema: schema)
            Issue.record("expected a validation error")
        } catch {
            #expect(error.code == .policyValidationError)
            #expect(error.message == "1 policy validation error against the schema")
            #expect(error.details.count == 1)
            #expect(error.details.first?.policyID == "typo")
            #expect(error.details.first?.location?.file == "p.cedar")
            #expect(error.details.first?.location?.line == 3)
        }
    }

    @Test func aSchemaErrorNamesTheSchemaFile() {
        let broken = SchemaSource(format: .cedar, file: SourceFile(name: "s.cedarschema", text: "entity User {"))
        do {
            _ = try PolicySetCompiler.compile(files: [], schema: broken)
            Issue.record("expected a schema error")
        } catch {
            #expect(error.code == .schemaError)
            #expect(error.details.first?.location?.file == "s.cedarschema")
            #expect(error.details.first?.location?.line == 1)
        }
    }

    @Test func templatesAreRejectedUntilTheyCanBeLinked() {
        #expect(throws: WritError(.invalidPolicySet, "")) {
            try PolicySetCompiler.compile(files: [
                SourceFile(name: "t.cedar", text: "permit(principal == ?principal, action, resource);"),
            ], schema: nil)
        }
    }

    @Test func aValidSetCompilesWithItsSchema() throws {
        let compiled = try PolicySetCompiler.compile(files: [
            SourceFile(name: "p.cedar", text: """
                permit(principal, action == Action::"read", resource) when { resource.owner == principal };
                """),
        ], schema: schema)
        #expect(compiled.schema != nil)
        #expect(compiled.policies.policies.count == 1)
        #expect(compiled.warnings == [])
    }
}
