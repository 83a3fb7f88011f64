import Cedar
import Foundation
import Synchronization

/// Labels: what a task has touched. A task's labels only grow. They come from the task's
/// opening or delegation, from the enforcing point reporting what it read
/// (`addLabels(_:to:)`), from the inventory when a decision lets the task read labelled
/// data (`learnedLabels(of:entities:engine:input:)`), and from the tasks delegated from it when
/// they close. docs/TASKS.md describes the rules.
extension TaskService {
    /// Adds `labels`, reported by the enforcing point for what the task read, to the
    /// open task `taskID`, in the store and then in memory, and returns all the task's
    /// own labels.
    /// - Throws: `.invalidIdentifier` / `.tooLarge` for a bad id or label, too many
    ///   labels in the request, or a task that would carry more than `maxTaskLabels`;
    ///   `.notFound` for an unknown task; `.conflict` when it is closed or expired; a
    ///   store error. Nothing changes on error.
    public func addLabels(_ labels: Set<String>, to taskID: String) async throws(WritError) -> Set<String> {
        let input = TaskInput(configuration: configuration)
        try input.identifier(taskID, "task")
        try input.labels(labels)
        return try await gate.run { () async throws(WritError) -> Set<String> in
            guard let stored = try await store.task(id: taskID) else {
                throw WritError(.notFound, "no task `\(taskID)`")
            }
            switch stored.state(at: now()) {
            case .open: break
            case .closed: throw WritError(.conflict, "task `\(taskID)` is closed; a closed task gains no labels")
            case .expired: throw WritError(.conflict, "task `\(taskID)` has expired; an expired task gains no labels")
            }
            let held = stored.labels.union(registry.withLock { $0[taskID]?.record.labels } ?? [])
            let grown = held.union(labels)
            guard grown.count == held.count || grown.count <= configuration.maxTaskLabels else {
                throw WritError(
                    .tooLarge,
                    "task `\(taskID)` would carry \(grown.count) labels; a task carries at most \(configuration.maxTaskLabels)")
            }
            let all = try await store.addTaskLabels(labels, to: taskID)
            return registry.withLock { registry in
                registry.addLabels(labels, to: taskID)
                return all.union(registry[taskID]?.record.labels ?? [])
            }
        }
    }

    /// The labels a decision of `request` gives its task when allowed:
    /// - for `Writ::Action::"retrieve"` or an action in it, the `labels` attribute of
    ///   the resource and of every entity it is in;
    /// - for an action in `Writ::Action::"call"`, the resource's `outputLabels`.
    ///
    /// Read from the store's entities and the request's both, so a request's entities
    /// can add labels but never hide any. An attribute that is not a set of labels is a
    /// denial (`labels_refused`): what the data carries cannot be told.
    static func learnedLabels(
        of request: Request, entities: Entities, engine: PolicyEngine, input: TaskInput
    ) -> Result<Set<String>, TaskDenial> {
        let action = request.action
        let hierarchy = engine.entities
        var reads: [(entity: EntityUID, attribute: String)] = []
        if hierarchy.isDescendant(action, of: BaseSchema.retrieveAction) {
            let above = entities.ancestors(of: request.resource).union(hierarchy.ancestors(of: request.resource))
            reads = ([request.resource] + above.sorted { $0.description < $1.description }).map { ($0, "labels") }
        }
        if hierarchy.isDescendant(action, of: BaseSchema.callAction) {
            reads.append((request.resource, BaseSchema.outputLabelsAttribute))
        }
        var labels: Set<String> = []
        for (uid, attribute) in reads {
            for source in [hierarchy, entities] {
                guard let value = source[uid]?.attributes[attribute] else { continue }
                let named = "`\(attribute)` of `\(uid)`"
                guard case .set(let set) = value else {
                    return .failure(TaskDenial(.labelsRefused, "\(named) is not a set of labels"))
                }
                for element in set {
                    guard case .string(let label) = element else {
                        return .failure(TaskDenial(.labelsRefused, "\(named) holds \(element), which is not a label"))
                    }
                    do throws(WritError) {
                        try input.label(label, "\(attribute)[\(label)] of \(uid)")
                    } catch {
                        return .failure(TaskDenial(.labelsRefused, error.message))
                    }
                    labels.insert(label)
                }
            }
        }
        return .success(labels)
    }

    /// The labels `context.task` shows for the first task of `chain`: its own and those
    /// of every task above it.
    static func inheritedLabels(_ chain: ArraySlice<TaskEntry>) -> Set<String> {
        guard var labels = chain.first?.record.labels else { return [] }
        // A task's labels usually hold those above it (it started with them): no new set.
        for entry in chain.dropFirst() where !entry.record.labels.isSubset(of: labels) { labels.formUnion(entry.record.labels) }
        return labels
    }
}
