import Testing

private let schema = """
    entity Agent { team: String, level?: Long };
    entity Ticket { team: String };
    action read appliesTo { principal: Agent, resource: Ticket };
    """

@Suite struct CedarValidateCommand {
    @Test func validPoliciesExitZeroAndPrintNothing() throws {
        let schemaFile = try CLI.temporaryFile(schema, suffix: ".cedarschema")
        let policyFile = try CLI.temporaryFile(
            #"permit(principal, action == Action::"read", resource) when { resource.team == principal.team };"#,
            suffix: ".cedar")
        let run = try CLI.run(["cedar", "validate", "--schema", schemaFile, "--policies", policyFile])
        #expect(run.status == 0)
        #expect(run.stdout == "")
    }

    @Test func invalidPoliciesExitTwoWithEachErrorAtItsPosition() throws {
        let schemaFile = try CLI.temporaryFile(schema, suffix: ".cedarschema")
        let policyFile = try CLI.temporaryFile(
            "permit(principal, action, resource)\nwhen { principal.level > 3 };", suffix: ".cedar")
        let run = try CLI.run(["cedar", "validate", "--schema", schemaFile, "--policies", policyFile])
        #expect(run.status == 2)
        #expect(
            run.stdout == "\(policyFile):2:8: error: attribute `level` on entity type `Agent` is optional; "
                + "guard it with `has` (try `e has level && ...`) [unsafe_optional_attribute_access, policy `policy0`]\n")
    }

    @Test func warningsAloneStillExitZero() throws {
        let schemaFile = try CLI.temporaryFile(schema, suffix: ".cedarschema")
        let policyFile = try CLI.temporaryFile("permit(principal, action, resource) when { false };", suffix: ".cedar")
        let run = try CLI.run(["cedar", "validate", "--schema", schemaFile, "--policies", policyFile])
        #expect(run.status == 0)
        #expect(run.stdout.contains(": warning: policy is impossible"))
    }

    @Test func malformedSchemaIsBadInputWithItsPosition() throws {
        let schemaFile = try CLI.temporaryFile("entity Agent {", suffix: ".cedarschema")
        let policyFile = try CLI.temporaryFile("permit(principal, action, resource);", suffix: ".cedar")
        let run = try CLI.run(["cedar", "validate", "--schema", schemaFile, "--policies", policyFile])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: \(schemaFile): 1:"))
    }

    @Test func missingPolicyFileIsBadInput() throws {
        let schemaFile = try CLI.temporaryFile(schema, suffix: ".cedarschema")
        let run = try CLI.run(["cedar", "validate", "--schema", schemaFile, "--policies", "/nonexistent/p.cedar"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: cannot read `/nonexistent/p.cedar`\n")
    }
}
