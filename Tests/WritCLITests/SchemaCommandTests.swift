import Testing

@Suite struct SchemaTranslateCommand {
    @Test func humanFormatTranslatesToJSONAndBack() throws {
        let schema = try CLI.temporaryFile(
            "namespace App { entity User in [Group]; entity Group; action view appliesTo { principal: User, resource: Group }; }",
            suffix: ".cedarschema")
        let json = try CLI.run(["schema", "translate", schema])
        #expect(json.status == 0)
        let jsonFile = try CLI.temporaryFile(json.stdout, suffix: ".json")
        let back = try CLI.run(["schema", "translate", jsonFile])
        #expect(back.status == 0)
        let again = try CLI.run(["schema", "translate", "--from", "cedar", "-"], stdin: back.stdout)
        #expect(again.stdout == json.stdout)
    }

    @Test func anUndeclaredTypeIsBadInputWithItsPosition() throws {
        let run = try CLI.run(["schema", "translate", "--from", "cedar", "-"], stdin: "entity A = { x: Nope };")
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: -: 1:17: "))
        #expect(run.stderr.contains("`Nope`"))
    }
}

@Suite struct TopLevelValidateCommand {
    @Test func validateIsAvailableAsWritValidate() throws {
        let schema = try CLI.temporaryFile(
            "entity User = { age?: Long }; entity Doc; action view appliesTo { principal: User, resource: Doc };",
            suffix: ".cedarschema")
        let policies = try CLI.temporaryFile(
            "permit(principal, action == Action::\"view\", resource) when { principal.age > 18 };", suffix: ".cedar")
        let run = try CLI.run(["validate", "--schema", schema, "--policies", policies])
        #expect(run.status == 2)
        #expect(run.stdout.contains("unsafe_optional_attribute_access"))
    }
}
