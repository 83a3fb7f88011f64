import Cedar
import Foundation

/// The context members Writ builds for a decision inside a task: `context.task`
/// (the base schema's `Writ::TaskContext`) from the task record, and
/// `context.system` (`{now}`) from the service's clock. Whatever the caller put
/// under those names is dropped.
enum TaskContext {
    /// `context` with `task` and `system` replaced by Writ's, for a request with
    /// `action`. With a schema, each is added only when the action's context declares
    /// it (no valid policy could read it otherwise, and the request would not be
    /// valid); the caller's is dropped either way.
    static func context(
        _ context: Record, task: TaskRecord, action: EntityUID, now: Date, schema: Schema?
    ) -> Record {
        var fields = context.fields.filter { !$0.key.scalarsEqual("task") && !$0.key.scalarsEqual("system") }
            .map { ($0.key, $0.value) }
        let declared = schema?.actions[action]?.context
        // `system` before `task`: in key order after the caller's members (mostly
        // `input`), so the record is built without sorting.
        if schema == nil || declared?["system"] != nil {
            fields.append(("system", .record(Record([("now", datetime(now))]))))
        }
        if schema == nil || declared?["task"] != nil {
            fields.append(("task", value(of: task, action: action.id)))
        }
        return Record(fields)
    }

    /// `context.task` for a decision of the action with id `action` in `task`.
    static func value(of task: TaskRecord, action: String) -> Value {
        // In key order, so the record is built without sorting.
        var fields: [(String, Value)] = [
            ("agent", .entity(EntityUID(type: BaseSchema.agentType, id: task.agent))),
            ("counters", .record(Record(counterFields(of: task, action: action)))),
            ("depth", .long(Int64(task.depth))),
            ("expires", datetime(task.expiresAt)),
            ("history", .entity(EntityUID(type: BaseSchema.taskType, id: task.id))),
            ("id", .string(task.id)),
            ("labels", labels(of: task)),
            ("onBehalfOf", .entity(EntityUID(type: BaseSchema.userType, id: task.onBehalfOf))),
            ("opened", datetime(task.openedAt)),
        ]
        if let parent = task.parentID { fields.append(("parent", .string(parent))) }
        fields.append(("purpose", .string(task.purpose)))
        return .record(Record(fields))
    }

    /// `context.task.labels` of `task`.
    private static func labels(of task: TaskRecord) -> Value {
        .set(CedarSet(task.labels.map { Value.string($0) }))
    }

    /// The members of `context.task.counters`, in key order.
    private static func counterFields(of task: TaskRecord, action: String) -> [(String, Value)] {
        [
            ("decisions", .long(Int64(task.counters.decisions))),
            ("calls", .long(Int64(task.counters.calls))),
            ("sameTool", .long(Int64(task.counters.actions[action] ?? 0))),
            ("spend", .long(task.counters.spend[action] ?? 0)),
        ]
    }

    /// Makes `context`, built by `context(_:task:action:now:schema:)` for a task whose
    /// record was then `was`, what that function builds for the task's record now,
    /// `task` (the same task with other counters and labels): the counters are replaced
    /// in place, and the labels when they changed, without building the record again.
    static func update(_ context: inout Record, from was: TaskRecord, to task: TaskRecord, action: String) {
        guard case .record(var value)? = context["task"] else { return }
        // Each record is taken out of the one holding it before it is changed, so that
        // it is changed in place rather than copied.
        context.replaceValue(.bool(false), forKey: "task")
        if case .record(var counters)? = value["counters"] {
            value.replaceValue(.bool(false), forKey: "counters")
            for (key, field) in counterFields(of: task, action: action) { counters.replaceValue(field, forKey: key) }
            value.replaceValue(.record(counters), forKey: "counters")
        }
        if was.labels != task.labels { value.replaceValue(labels(of: task), forKey: "labels") }
        context.replaceValue(.record(value), forKey: "task")
    }

    /// Makes `history`, built by `history(of:)` for a task whose record was then
    /// another, what `history(of: task)` builds: the tags replaced in place when the
    /// task has decided the same actions, built again otherwise.
    static func update(history: inout Entity, to task: TaskRecord) {
        let actions = task.counters.actions
        var tags = history.tags
        history.tags = Record()
        guard tags.count == actions.count,
            actions.allSatisfy({ tags.replaceValue(.long(Int64($0.value)), forKey: $0.key) })
        else {
            history = Self.history(of: task)
            return
        }
        history.tags = tags
    }

    /// The `Writ::Task` entity `context.task.history` names: tagged with the allowed
    /// decisions of `task` (and the tasks delegated from it) by action id. Writ
    /// supplies it over any entity of that uid the store or the caller has.
    static func history(of task: TaskRecord) -> Entity {
        let tags = task.counters.actions.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { ($0.key, Value.long(Int64($0.value))) }
        return Entity(uid: EntityUID(type: BaseSchema.taskType, id: task.id), tags: Record(tags))
    }

    /// A Cedar `datetime`: whole milliseconds since the Unix epoch, rounded down.
    static func datetime(_ date: Date) -> Value {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
        return .ext(.datetime(CedarDatetime(milliseconds: Int64(exactly: milliseconds) ?? (milliseconds < 0 ? .min : .max))))
    }
}
