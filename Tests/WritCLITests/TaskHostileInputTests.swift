import Foundation
import Testing

/// `writ task` given bad input: a clear message naming the input on standard error,
/// exit 1, and nothing stored.
@Suite struct TaskHostileInput {
    static func openFails(_ extra: [String], data: String, stdin: String? = nil) throws -> CLIRun {
        try TaskCommand.open(extra + ["--data", data], stdin: stdin)
    }

    static func nothingStored(_ data: String) throws -> Bool {
        try CLI.run(["task", "list", "--data", data]).stdout == "ID  AGENT  USER  STATE  PARENT  EXPIRES  DECISIONS  PURPOSE\n"
    }

    @Test func aMissingMandateFileIsNamed() throws {
        let data = try TaskCommand.dataDirectory()
        let run = try Self.openFails(["--mandate", "/nonexistent/mandate.cedar"], data: data)
        #expect(run.status == 1)
        #expect(run.stderr == "error: --mandate: cannot read `/nonexistent/mandate.cedar`\n")
        #expect(try Self.nothingStored(data))
    }

    @Test func aMandateWithASyntaxErrorIsRefusedWithItsLineAndColumn() throws {
        let data = try TaskCommand.dataDirectory()
        let path = try CLI.temporaryFile("permit (principal, action, resource);\npermit (principal action, resource);\n", suffix: ".cedar")
        let run = try Self.openFails(["--mandate", path], data: data)
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: cannot open the task: "))
        #expect(run.stderr.contains("\(path):2:19: "))
        #expect(run.stdout.isEmpty)
        #expect(try Self.nothingStored(data))
    }

    @Test func aMandateThatDoesNotValidateListsEachErrorWithItsPlace() throws {
        let data = try TaskCommand.dataDirectory()
        let path = try CLI.temporaryFile(
            "permit (principal, action == Writ::Action::\"docs___search\", resource) when { context.input.nope };\n",
            suffix: ".cedar")
        let run = try Self.openFails(["--mandate", path], data: data)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(run.status == 1)
        #expect(lines.first == "error: cannot open the task: 1 policy validation error against the schema (policy_validation_error)")
        #expect(lines.dropFirst().first?.hasPrefix("  \(path):1:") == true)
        #expect(try Self.nothingStored(data))
    }

    @Test func aMandateOnStandardInputIsNamedStdin() throws {
        let data = try TaskCommand.dataDirectory()
        let run = try Self.openFails(["--mandate", "-"], data: data, stdin: "permit (principal, action resource);")
        #expect(run.status == 1)
        #expect(run.stderr.contains("stdin:1:"))
        #expect(try Self.nothingStored(data))
    }

    @Test func aMandateIsRequired() throws {
        let run = try Self.openFails([], data: FileManagerHelpers.temporaryDirectory())
        #expect(run.status == 1)
        #expect(run.stderr == "error: give the task's mandate with --mandate FILE (Cedar policies; without one nothing is permitted)\n")
    }

    @Test(arguments: ["-5", "0", "43201", "99999999999999999999", "1h", ""])
    func aTTLOutsideOneSecondToTwelveHoursIsRefused(_ ttl: String) throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let run = try Self.openFails(["--mandate", TaskCommand.mandate, "--ttl", ttl], data: data)
        #expect(run.status == 1)
        #expect(run.stderr == "error: --ttl must be a whole number of seconds from 1 to 43200 (12 hours), not `\(ttl)`\n")
        #expect(!FileManager.default.fileExists(atPath: data + "/writ.sqlite"))
    }

    @Test(arguments: [
        (["--max-calls", "mail___send_email"], "error: --max-calls `mail___send_email` is not TOOL=N\n"),
        (["--max-calls", "=3"], "error: --max-calls `=3` is not TOOL=N\n"),
        (["--max-calls", "mail___send_email=many"], "error: --max-calls `mail___send_email=many`: the limit must be a whole number of 1 or more, not `many`\n"),
        (["--max-calls", "a=1", "--max-calls", "a=2"], "error: --max-calls names `a` twice\n"),
        (["--max-decisions", "-1"], "error: --max-decisions `-1`: the limit must be a whole number of 1 or more, not `-1`\n"),
        (["--spend-limit", "payments___refund=500"], "error: --spend-limit `payments___refund=500` is not TOOL.ARGUMENT=CEILING\n"),
        (["--spend-limit", "payments___refund.amount=0"], "error: --spend-limit `payments___refund.amount=0`: the limit must be a whole number of 1 or more, not `0`\n"),
    ])
    func aMalformedBudgetIsRefused(_ arguments: [String], _ message: String) throws {
        let run = try Self.openFails(["--mandate", TaskCommand.mandate] + arguments, data: FileManagerHelpers.temporaryDirectory())
        #expect(run.status == 1)
        #expect(run.stderr == message)
    }

    @Test func anAgentIDWithAControlCharacterIsRefusedByTheService() throws {
        let data = try TaskCommand.dataDirectory()
        let run = try CLI.run([
            "task", "open", "--agent", "bot\u{7}", "--on-behalf-of", "alice", "--purpose", "p", "--mandate", TaskCommand.mandate,
            "--data", data,
        ])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: cannot open the task: `agent` "))
        #expect(run.stderr.hasSuffix("(invalid_identifier)\n"))
        #expect(try Self.nothingStored(data))
    }

    @Test func aDataDirectoryNoServerHasRecordedAnIssuerForIsExplained() throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let run = try Self.openFails(["--mandate", TaskCommand.mandate], data: data)
        #expect(run.status == 1)
        #expect(run.stderr == "error: cannot open the task: no credential issuer is recorded in `\(data)`: start `writ serve --data \(data)` once (it records its --public-url, or http://HOST:PORT), or use --server\n")
    }

    @Test func aDamagedIssuerRecordIsNamed() throws {
        let data = try TaskCommand.dataDirectory()
        try FileManagerHelpers.write("http://a b\n", to: data + "/issuer")
        let run = try Self.openFails(["--mandate", TaskCommand.mandate], data: data)
        #expect(run.status == 1)
        #expect(run.stderr == "error: cannot open the task: `\(data)/issuer` does not hold an issuer: it contains a space or a control character\n")
        #expect(try Self.nothingStored(data))
    }

    @Test func delegatingWithoutACredentialIsRefused() throws {
        let run = try CLI.run([
            "task", "delegate", "--agent", "helper", "--purpose", "p", "--mandate", TaskCommand.mandate,
            "--data", FileManagerHelpers.temporaryDirectory(),
        ])
        #expect(run.status == 1)
        #expect(run.stderr == "error: give the parent task's credential: --credential - (standard input) or $WRIT_TASK_CREDENTIAL\n")
    }

    @Test func theCredentialAndTheMandateCannotBothComeFromStandardInput() throws {
        let run = try CLI.run([
            "task", "delegate", "--credential", "-", "--agent", "helper", "--purpose", "p", "--mandate", "-",
            "--data", FileManagerHelpers.temporaryDirectory(),
        ], stdin: "x")
        #expect(run.status == 1)
        #expect(run.stderr == "error: --credential - and --mandate - cannot both read standard input\n")
    }

    @Test func anUnknownStateIsRefused() throws {
        let run = try CLI.run(["task", "list", "--state", "gone", "--data", FileManagerHelpers.temporaryDirectory()])
        #expect(run.status == 1)
        #expect(run.stderr == "error: --state must be open, closed or expired, not `gone`\n")
    }

    @Test func anUnreachableServerIsReportedAtOnce() throws {
        let run = try TaskCommand.open(["--mandate", TaskCommand.mandate, "--server", "http://127.0.0.1:1"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: cannot open the task: cannot reach the server at http://127.0.0.1:1: connection refused\n")
    }

    @Test func aServerAndADataDirectoryTogetherAreRefused() throws {
        let run = try CLI.run(["task", "list", "--server", "http://127.0.0.1:1", "--data", "/tmp/elsewhere"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: cannot list the tasks: give --server or --data, not both: with --server the server's own data directory is used\n")
    }

    @Test func anAPIKeyWithASpaceIsRefusedBeforeItIsSent() throws {
        let run = try CLI.run(["task", "list", "--server", "http://127.0.0.1:1"], environment: ["WRIT_API_KEY": "writ_x y"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: cannot list the tasks: the API key holds a space or a character other than printable ASCII\n")
    }

    @Test(arguments: ["ftp://127.0.0.1:8180", "127.0.0.1:8180", "http://", "http://h/?q=1"])
    func aServerThatIsNotAnHTTPURLIsRefused(_ server: String) throws {
        let run = try CLI.run(["task", "list", "--server", server])
        #expect(run.status == 1)
        #expect(run.stderr == "error: cannot list the tasks: --server `\(server)` is not an http:// or https:// URL of a server (http://HOST:PORT)\n")
    }
}
