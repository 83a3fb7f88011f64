import Cedar
import Foundation
import WritCore

/// The support desk with data: `docs___search` returns untrusted text, mail can send
/// data out, and the HR dataset (`pii`) holds a secret document. The organisation
/// forbids egress once a task carries `untrusted` and `pii` or `secret`.
enum TaskLabelFixtures {
    static let policies = """
        @id("agents-call-tools")
        permit (principal is Writ::Agent, action in Writ::Action::"call", resource is Writ::Tool);
        @id("agents-read-files")
        permit (principal is Writ::Agent, action == Writ::Action::"retrieve", resource);
        @id("lethal-trifecta")
        @approvable("private data and untrusted content were read")
        forbid (principal, action in Writ::Action::"call", resource)
        when { resource.egress && context.task.labels.contains("untrusted") && context.task.labels.containsAny(["pii", "secret"]) };
        """

    /// Calls and retrievals.
    static let mandate = TaskFixtures.mandate("""
        permit (principal, action in [Writ::Action::"call", Writ::Action::"retrieve"], resource);
        """)

    static func tool(_ id: String, egress: Bool, output: [String]) -> String {
        let labels = output.map { "\"\($0)\"" }.joined(separator: ", ")
        return #"{"uid": {"type": "Writ::Tool", "id": "\#(id)"}, "attrs": {"name": "\#(id)", "owner": {"__entity": {"type": "Writ::User", "id": "ops"}}, "labels": [], "egress": \#(egress), "outputLabels": [\#(labels)]}, "parents": []}"#
    }

    static func entities(documentLabels: String = #"["secret"]"#) -> String {
        "[" + [
            tool("docs___search", egress: false, output: ["untrusted"]),
            tool("mail___send_email", egress: true, output: []),
            tool("payments___refund", egress: false, output: []),
            #"{"uid": {"type": "Writ::Group", "id": "hr"}, "attrs": {}, "parents": []}"#,
            #"{"uid": {"type": "Writ::McpServer", "id": "files"}, "attrs": {"owner": {"__entity": {"type": "Writ::User", "id": "ops"}}, "labels": []}, "parents": []}"#,
            #"{"uid": {"type": "Writ::Dataset", "id": "hr"}, "attrs": {"owner": {"__entity": {"type": "Writ::User", "id": "ops"}}, "readers": {"__entity": {"type": "Writ::Group", "id": "hr"}}, "labels": ["pii"]}, "parents": [{"type": "Writ::McpServer", "id": "files"}]}"#,
            #"{"uid": {"type": "Writ::Document", "id": "salaries"}, "attrs": {"uri": "files://hr/salaries", "dataset": {"__entity": {"type": "Writ::Dataset", "id": "hr"}}, "labels": \#(documentLabels)}, "parents": [{"type": "Writ::Dataset", "id": "hr"}]}"#,
        ].joined(separator: ", ") + "]"
    }

    /// A task service over the desk with data.
    static func service(
        clock: TestClock, configuration: TaskService.Configuration = TaskService.Configuration(),
        documentLabels: String = #"["secret"]"#
    ) async throws -> TaskService {
        let decisions = try await TaskFixtures.decisions(policies: policies, entities: entities(documentLabels: documentLabels))
        return try await TaskFixtures.service(clock: clock, configuration: configuration, decisions: decisions)
    }

    static func opening(labels: Set<String> = []) -> TaskOpening {
        TaskFixtures.opening(mandate: mandate, labels: labels)
    }

    /// Reading the salaries document.
    static func retrieve(by agent: String = "support-bot") -> Request {
        Request(
            principal: EntityUID(type: BaseSchema.agentType, id: agent),
            action: BaseSchema.retrieveAction,
            resource: EntityUID(type: EntityType("Writ::Document"), id: "salaries"),
            context: Record())
    }
}
