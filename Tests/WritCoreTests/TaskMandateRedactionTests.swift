import Testing
import WritCore

/// Mandates narrow what a task may do; they cannot add obligations.
@Suite struct TaskMandateRedactionTests {
    @Test func aMandateDeclaringARedactionIsRefused() async throws {
        let tasks = try await TaskFixtures.service()
        let mandate = TaskFixtures.mandate("""
            @redact_fields("to")
            permit (principal, action, resource);
            """)
        let error = await #expect(throws: WritError.self) { try await tasks.open(TaskFixtures.opening(mandate: mandate)) }
        #expect(error?.code == .invalidPolicySet)
        #expect(error?.message == "mandate policy `policy0` declares a redaction; only the organisation's policies can ask for redactions")
    }
}
