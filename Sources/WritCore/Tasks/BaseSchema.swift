import Cedar

/// Writ's base schema: the Cedar types every agent decision uses — `Writ::User`,
/// `Writ::Agent`, `Writ::Task`, the tools and data agents reach, and the context
/// (`context.task`, `context.system`) Writ builds for each decision. docs/TASKS.md
/// describes it; docs/writ.cedarschema holds the same text (a test keeps them equal).
///
/// A deployment's schema starts from it. Cedar declares each namespace once per
/// schema, so either add declarations inside `namespace Writ` with
/// `extended(with:)` — tool actions there get the ids the conventions give
/// (`Writ::Action::"mail___send_email"`) — or follow the base text with namespaces of
/// your own that name these types as `Writ::Agent`, `Writ::TaskContext` ….
public enum BaseSchema {
    /// The file name the base schema is published under.
    public static let fileName = "writ.cedarschema"

    /// The entity type of agents: a request whose principal has this type is decided
    /// only inside a task.
    public static let agentType = EntityType("Writ::Agent")

    /// The entity type of tasks: `context.task.history` is one, tagged with the task's
    /// allowed decisions by action id.
    public static let taskType = EntityType("Writ::Task")

    /// The entity type of the users agents act for.
    public static let userType = EntityType("Writ::User")

    /// The action group every tool call belongs to; `context.task.counters.calls`
    /// counts the allowed decisions of its members.
    public static let callAction = EntityUID(type: EntityType("Writ::Action"), id: "call")

    /// The action a decision of which, or of an action in it, gives the task the
    /// `labels` of the resource and of every entity it is in.
    public static let retrieveAction = EntityUID(type: EntityType("Writ::Action"), id: "retrieve")

    /// The attribute of a `Writ::Tool` naming the labels of what it returns: an allowed
    /// call of it gives the task those labels.
    public static let outputLabelsAttribute = "outputLabels"

    /// The schema text, in Cedar's human format.
    public static let text = """
// Writ's base schema: the types every agent decision uses. docs/TASKS.md describes
// them; Sources/WritCore/Tasks/BaseSchema.swift holds the same text.
namespace Writ {
  // People, and the groups that grant them access.
  entity Group;
  entity User in [Group] tags String;

  // Agents: principals that act only inside a task, for a user.
  entity AgentGroup;
  @mcp_principal
  entity Agent in [AgentGroup] = { owner: User } tags String;

  // A task, for policies that name one. `context.task.history` is the task deciding:
  // its tags count the allowed decisions by action id, as `counters` do.
  entity Task tags Long;

  // What agents reach: MCP servers behind a gateway, and their tools, prompts and data.
  // Retrieving a Document (or anything `in [retrieve]`) gives the task the `labels` of
  // the resource and of everything it is in; calling a Tool gives it `outputLabels`.
  entity Gateway;
  entity McpServer in [Gateway] = { owner: User, labels: Set<String> };
  @mcp_resource
  entity Tool in [McpServer] = {
    name: String, owner: User, labels: Set<String>, egress: Bool, outputLabels?: Set<String>
  };
  entity Prompt in [McpServer] = { name: String, owner: User, labels: Set<String> };
  entity Dataset in [McpServer] = { owner: User, readers: Group, labels: Set<String> };
  entity Document in [Dataset] = { uri: String, dataset: Dataset, labels: Set<String> };
  entity Destination = { kind: String, internal: Bool };

  // What a task and the tasks delegated from it have used: allowed decisions only.
  type TaskCounters = {
    decisions: Long,  // every allowed decision
    calls: Long,      // allowed decisions of actions in `Action::"call"`
    sameTool: Long,   // allowed decisions of this action
    spend: Long       // the sum of this action's budgeted argument
  };

  // `context.task`: built by Writ from the task record, never taken from the caller.
  @mcp_context("task")
  type TaskContext = {
    id: String,
    purpose: String,
    onBehalfOf: User,
    agent: Agent,
    parent?: String,
    depth: Long,
    opened: datetime,
    expires: datetime,
    labels: Set<String>,
    counters: TaskCounters,
    history: Task
  };

  // `context.system`: built by Writ.
  @mcp_context("system")
  type SystemContext = { now: datetime };

  type Ctx = { task: TaskContext, system: SystemContext };

  // Every tool is an action in `call`: `action "<server>___<tool>" in [call] appliesTo
  // { principal: [Agent], resource: [Tool], context: { task: TaskContext, system:
  // SystemContext, input: { … } } };`
  @mcp_action
  action call;
  action prompt appliesTo { principal: [Agent], resource: [Prompt], context: Ctx };
  action retrieve appliesTo { principal: [Agent], resource: [Document], context: Ctx };
  action release appliesTo {
    principal: [Agent],
    resource: [Destination],
    context: {
      task: TaskContext,
      system: SystemContext,
      output: { labels: Set<String>, bytes: Long }
    }
  };
}

"""

    /// The base schema with `declarations` (Cedar schema declarations: entity types,
    /// common types, actions) added at the end of `namespace Writ`, as one schema
    /// source named `name`. Line numbers in errors count from the top of the whole
    /// text.
    public static func extended(with declarations: String, name: String = fileName) -> SchemaSource {
        SchemaSource(format: .cedar, file: SourceFile(name: name, text: prefix + declarations + "\n}\n"))
    }

    /// The text up to, not including, the closing brace of `namespace Writ`.
    private static var prefix: String {
        guard let close = text.lastIndex(of: "}") else { return text }
        return String(text[..<close])
    }
}
