import Testing

private let policies = "examples/quickstart/policies.cedar"
private let entities = "examples/quickstart/entities.json"

@Suite struct CedarAuthorizeCommand {
    @Test func anAllowedRequestExitsZeroAndNamesTheDeterminingPolicy() throws {
        let run = try CLI.run([
            "cedar", "authorize", "--policies", policies, "--entities", entities,
            "--request-json", "examples/quickstart/request.json",
        ])
        #expect(run.status == 0)
        #expect(run.stdout == "ALLOW\nreasons: read-team-tickets\n")
    }

    @Test func aDeniedRequestExitsTwo() throws {
        let run = try CLI.run([
            "cedar", "authorize", "--policies", policies, "--entities", entities,
            "--request-json", "examples/quickstart/request-denied.json",
        ])
        #expect(run.status == 2)
        #expect(run.stdout == "DENY\n")
    }

    @Test func jsonOutputNamesTheForbidThatDenied() throws {
        let context = try CLI.temporaryFile(#"{"amount": 900}"#, suffix: ".json")
        let run = try CLI.run([
            "cedar", "authorize", "--policies", policies, "--entities", entities, "--json",
            "--principal", #"Agent::"support-bot""#, "--action", #"Action::"refund""#,
            "--resource", #"Tool::"email""#, "--context", context,
        ])
        #expect(run.status == 2)
        #expect(run.stdout == #"{"decision":"deny","reasons":["refund-ceiling"],"errors":[]}"# + "\n")
    }

    @Test func aMalformedPrincipalIsBadInputWithItsPosition() throws {
        let run = try CLI.run([
            "cedar", "authorize", "--policies", policies,
            "--principal", #"Agent::"#, "--action", #"Action::"read""#, "--resource", #"Ticket::"T-1""#,
        ])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: --principal: 1:8: "))
    }

    @Test func hostileRequestJSONIsBadInputNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000)
        let request = try CLI.temporaryFile(#"{"principal": \#(deep)"#, suffix: ".json")
        let run = try CLI.run(["cedar", "authorize", "--policies", policies, "--request-json", request])
        #expect(run.status == 1)
        #expect(run.stderr.hasSuffix("arrays and objects nest deeper than the limit of 127\n"))
    }

    @Test func duplicateKeysInTheRequestAreRejected() throws {
        let request = try CLI.temporaryFile(
            #"{"principal": {"type": "Agent", "id": "a"}, "principal": {"type": "Agent", "id": "b"}, "action": {"type": "Action", "id": "read"}, "resource": {"type": "Ticket", "id": "T"}}"#,
            suffix: ".json")
        let run = try CLI.run(["cedar", "authorize", "--policies", policies, "--request-json", request])
        #expect(run.status == 1)
        #expect(run.stderr.hasSuffix("1:45, at $.principal: duplicate key `principal`\n"))
    }
}

@Suite struct CedarCheckCommand {
    @Test func aParseErrorIsReportedAsFileLineColumn() throws {
        let file = try CLI.temporaryFile("permit(principal, action,\n  resource) when { 1 + };", suffix: ".cedar")
        let run = try CLI.run(["cedar", "check", file])
        #expect(run.status == 1)
        #expect(run.stderr == "error: \(file):2:24: unexpected token `}`; expected an expression\n")
    }

    @Test func validFilesReportTheirPolicyCount() throws {
        let run = try CLI.run(["cedar", "check", policies])
        #expect(run.status == 0)
        #expect(run.stdout == "\(policies): 3 policies, 0 templates\n")
    }

    @Test func binaryGarbageIsBadInput() throws {
        let file = try CLI.temporaryFile("\u{0}\u{1}permit(\u{7f}", suffix: ".cedar")
        let run = try CLI.run(["cedar", "check", file])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: \(file):1:1: "))
    }
}

@Suite struct CedarFormatCommand {
    @Test func formattedOutputParsesBackToTheSamePolicies() throws {
        let first = try CLI.run(["cedar", "format", policies])
        #expect(first.status == 0)
        let again = try CLI.run(["cedar", "format", "-"], stdin: first.stdout)
        #expect(again.status == 0)
        #expect(again.stdout == first.stdout)
    }
}

@Suite struct CedarConformanceCommand {
    @Test func aDirectoryWithAFailingTestExitsOneAndExplainsIt() throws {
        let dir = FileManagerHelpers.temporaryDirectory()
        try FileManagerHelpers.write("permit(principal, action, resource);", to: dir + "/p.cedar")
        try FileManagerHelpers.write("[]", to: dir + "/e.json")
        try FileManagerHelpers.write("""
            {"policies": "p.cedar", "entities": "e.json", "requests": [
              {"description": "wrongly expects deny", "principal": {"type": "U", "id": "a"},
               "action": {"type": "Action", "id": "v"}, "resource": {"type": "R", "id": "r"},
               "context": {}, "decision": "deny", "reason": [], "errors": []}]}
            """, to: dir + "/t.json")
        let run = try CLI.run(["cedar", "conformance", dir])
        #expect(run.status == 1)
        #expect(run.stdout.hasSuffix("0 passed, 1 failed\n"))
        #expect(run.stdout.contains("expected: deny, reasons [], errors []"))
    }
}
