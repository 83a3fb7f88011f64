@testable import Cedar
import Foundation
import WritProcess
import Testing

/// Generates random schemas and policies, asks Rust Cedar (cedarpy) whether they
/// validate and with which kinds of errors, and checks that Writ's validator agrees.
@Suite struct ValidatorDifferentialTests {
    @Test(.enabled(if: DifferentialAgainstRustCedar.shouldRun, "pip install cedarpy to compare with Rust Cedar"))
    func validatorAgreesWithRustCedarOnFiveThousandRandomCases() throws {
        #expect(DifferentialAgainstRustCedar.cedarpyAvailable, "cedarpy is not installed")
        let seed = ProcessInfo.processInfo.environment["WRIT_DIFF_SEED"] ?? "1"
        let count = 5_000
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("writ-validate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let generator = try ChildProcess(
            executable: "/usr/bin/env",
            arguments: [
                "python3", SharedData.repository.appendingPathComponent("Tests/Differential/validate_diff.py").path,
                "--seed", seed, "--cases", "\(count)", "--emit", folder.path,
            ],
            standardInput: .null, standardOutput: .null)
        try #require(generator.waitUntilExit() == .exited(0))

        var verdictsDiffer: [String] = []
        var kindsDiffer: [String] = []
        for i in 0..<count {
            let base = folder.appendingPathComponent("case\(i)")
            let expected = try String(contentsOf: base.appendingPathExtension("expected"), encoding: .utf8)
                .split(separator: "\n").map(String.init)
            let verdict = try Self.verdict(
                schema: String(contentsOf: base.appendingPathExtension("cedarschema"), encoding: .utf8),
                policies: String(contentsOf: base.appendingPathExtension("cedar"), encoding: .utf8))
            if verdict.status != expected.first {
                verdictsDiffer.append("case\(i): Rust \(expected), Writ \(verdict.status) \(verdict.kinds)")
            } else if verdict.kinds != Set(expected.dropFirst()) {
                kindsDiffer.append("case\(i): Rust \(expected.dropFirst().sorted()), Writ \(verdict.kinds.sorted())")
            }
        }
        print("validator differential (seed \(seed)): \(count - verdictsDiffer.count) agree, "
            + "\(verdictsDiffer.count) disagree; error kinds differ in \(kindsDiffer.count)")
        for line in (verdictsDiffer + kindsDiffer).prefix(10) { print("  \(line)") }
        #expect(verdictsDiffer.isEmpty)
        #expect(kindsDiffer.isEmpty)
    }

    /// `valid`, `invalid` or `bad-input`, and the `policyId errorKind` pairs of the errors.
    static func verdict(schema: String, policies: String) throws -> (status: String, kinds: Set<String>) {
        let parsedSchema: Schema
        let set: PolicySet
        do {
            parsedSchema = try Schema(cedarSchema: schema)
            set = try PolicySet(PolicyParser.parsePolicies(policies))
        } catch {
            return ("bad-input", [])
        }
        let result = Validator(schema: parsedSchema).validate(set)
        return (result.passed ? "valid" : "invalid", Set(result.errors.map { "\($0.policyID) \($0.code)" }))
    }
}
