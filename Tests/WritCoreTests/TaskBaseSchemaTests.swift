import Cedar
import Foundation
import Testing
import WritCore

/// The base schema: published as docs/writ.cedarschema, extended by deployments.
@Suite struct TaskBaseSchemaTests {
    @Test func thePublishedFileIsTheBaseSchemaText() throws {
        let file = TestService.repository.appendingPathComponent("docs").appendingPathComponent(BaseSchema.fileName)
        #expect(try String(contentsOf: file, encoding: .utf8) == BaseSchema.text)
    }

    @Test func theBaseSchemaDeclaresAgentsUsersTasksAndTheTaskContext() throws {
        let schema = try Schema(cedarSchema: BaseSchema.text)
        for name in ["Writ::User", "Writ::Agent", "Writ::Task", "Writ::Tool", "Writ::Document", "Writ::Destination"] {
            #expect(schema.entityTypes[EntityType(name)] != nil, "\(name)")
        }
        let retrieve = try #require(schema.actions[EntityUID(type: EntityType("Writ::Action"), id: "retrieve")])
        #expect(retrieve.context.attributes.map(\.name) == ["system", "task"])
        guard case .record(let task)? = retrieve.context["task"]?.type else {
            Issue.record("`task` is not a record")
            return
        }
        #expect(task.attributes.map(\.name) == [
            "agent", "counters", "depth", "expires", "history", "id", "labels", "onBehalfOf", "opened", "parent", "purpose",
        ])
        #expect(task["parent"]?.isRequired == false)
    }

    @Test func declarationsAddedInsideTheWritNamespaceJoinTheCallGroup() throws {
        let source = BaseSchema.extended(with: TaskFixtures.tools, name: "support.cedarschema")
        #expect(source.file.name == "support.cedarschema")
        let schema = try PolicySetCompiler.resolveSchema(source)
        let refund = try #require(schema.actions[EntityUID(type: EntityType("Writ::Action"), id: "payments___refund")])
        #expect(refund.memberOf == [BaseSchema.callAction])
    }

    @Test func aDeploymentNamespaceAfterTheBaseTextNamesTheBaseTypes() throws {
        let text = BaseSchema.text + """
            namespace Support {
              entity Ticket = { owner: Writ::User };
              action "tickets___read" in [Writ::Action::"call"] appliesTo {
                principal: [Writ::Agent], resource: [Ticket],
                context: { task: Writ::TaskContext, system: Writ::SystemContext }
              };
            }
            """
        let schema = try Schema(cedarSchema: text)
        let read = try #require(schema.actions[EntityUID(type: EntityType("Support::Action"), id: "tickets___read")])
        #expect(read.principalTypes == [BaseSchema.agentType])
    }

    @Test func policiesReadingTheTaskContextValidateAgainstIt() throws {
        let policies = SourceFile(name: "p.cedar", text: """
            forbid (principal, action in Writ::Action::"call", resource is Writ::Tool)
            when { resource.egress && context.task.labels.containsAll(["untrusted", "pii"]) };
            permit (principal, action == Writ::Action::"mail___send_email", resource)
            when { context.task.counters.sameTool < 3 && context.task.onBehalfOf == Writ::User::"alice" &&
                   context.task.expires > context.system.now && context.task has parent };
            """)
        let compiled = try PolicySetCompiler.compile(files: [policies], schema: TaskFixtures.schema)
        #expect(compiled.policies.policies.count == 2)
    }

    @Test func anErrorInAddedDeclarationsIsPlacedInTheWholeText() {
        let source = BaseSchema.extended(with: "  entity Broken = { name: Strin };\n")
        let line = BaseSchema.text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let error = #expect(throws: WritError.self) { try PolicySetCompiler.resolveSchema(source) }
        #expect(error?.details.first?.location == WritError.Location(file: BaseSchema.fileName, line: line, column: 27))
    }
}
