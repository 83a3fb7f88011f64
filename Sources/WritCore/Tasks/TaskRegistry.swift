import Cedar
import Foundation

/// One task as the service holds it.
struct TaskEntry: Sendable {
    /// The record; its counters include reservations of allows not yet final.
    var record: TaskRecord
    /// The compiled mandate; nil once the task is closed.
    var mandate: CompiledPolicySet? {
        get { compiled?.set }
        set { compiled = newValue.map(CompiledMandate.init) }
    }
    /// Whether the task still has its mandate (is not closed).
    var hasMandate: Bool { compiled != nil }
    /// Changes whenever the counters do, so a decision evaluated against a snapshot
    /// can tell whether the counters its policies saw are still current.
    var version: UInt64 = 0
    /// The ids of the tasks delegated from it.
    var children: [String] = []
    /// The mandate behind one reference: entries are copied on every decision, the
    /// compiled set is large and never changes.
    private var compiled: CompiledMandate?

    init(record: TaskRecord, mandate: CompiledPolicySet?) {
        self.record = record
        compiled = mandate.map(CompiledMandate.init)
    }
}

/// A task's compiled mandate, shared by every copy of its entry.
private final class CompiledMandate: Sendable {
    let set: CompiledPolicySet
    init(_ set: CompiledPolicySet) { self.set = set }
}

/// The tasks the service decides with, by id (compared as Unicode scalars), and the
/// sequence that orders decisions and closes. It lives inside the service's mutex;
/// every method is quick and synchronous.
struct TaskRegistry: Sendable {
    private var entries: [ScalarKey: TaskEntry] = [:]
    private(set) var sequence: UInt64 = 0

    var count: Int { entries.count }

    subscript(id: String) -> TaskEntry? { entries[ScalarKey(id)] }

    /// Brings `entry` up to the counters, labels and version the registry holds for
    /// its task — all that `add(_:to:)` and `addLabels(_:to:)` change — read in place
    /// rather than copying the whole entry out. Unchanged when the task is not held.
    /// The counters are written into `entry`'s own tables (`TaskCounters.assign`), so
    /// that the registry's stay unshared and the next `add(_:to:)` does not copy them.
    mutating func refresh(_ entry: inout TaskEntry) {
        guard let index = entries.index(forKey: ScalarKey(entry.record.id)) else { return }
        // Reached through `_modify` (`entries.values[index]` read copies the whole entry).
        Self.bring(&entry, upTo: &entries.values[index])
    }

    private static func bring(_ entry: inout TaskEntry, upTo held: inout TaskEntry) {
        entry.record.counters.assign(held.record.counters)
        entry.record.labels = held.record.labels
        entry.version = held.version
    }

    /// The next sequence number.
    mutating func stamp() -> UInt64 {
        sequence += 1
        return sequence
    }

    /// Adds a task, linking it to its parent when the parent is held.
    mutating func insert(_ entry: TaskEntry) {
        if let parentID = entry.record.parentID { entries[ScalarKey(parentID)]?.children.append(entry.record.id) }
        entries[ScalarKey(entry.record.id)] = entry
    }

    /// Replaces every task with `loaded`, linking parents and children.
    mutating func replaceAll(with loaded: [TaskEntry]) {
        entries = [:]
        for entry in loaded { entries[ScalarKey(entry.record.id)] = entry }
        for entry in loaded {
            if let parentID = entry.record.parentID { entries[ScalarKey(parentID)]?.children.append(entry.record.id) }
        }
    }

    /// The task `id` and every task it was delegated from, the task first — when all
    /// are held, open and unexpired at `now`, and the task is `agent`'s (when given).
    func chain(of id: String, agent: String?, now: Date) -> Result<[TaskEntry], TaskDenial> {
        guard let leaf = self[id] else {
            return .failure(TaskDenial(.noTask, "task `\(id)` is not open on this server", taskID: id))
        }
        if let agent, !agent.scalarsEqual(leaf.record.agent) {
            return .failure(TaskDenial(.noTask, "task `\(id)` is not a task of agent `\(agent)`", taskID: id))
        }
        var chain = [leaf]
        while let entry = chain.last {
            if entry.record.closedAt != nil || !entry.hasMandate {
                return .failure(TaskDenial(.taskClosed, "task `\(entry.record.id)` is closed", taskID: entry.record.id))
            }
            if now >= entry.record.expiresAt {
                return .failure(TaskDenial(.taskExpired, "task `\(entry.record.id)` has expired", taskID: entry.record.id))
            }
            guard let parentID = entry.record.parentID else { break }
            // A chain is never longer than the task's depth says; a loop cannot be walked.
            guard let parent = self[parentID], chain.count <= leaf.record.depth else {
                return .failure(TaskDenial(
                    .noTask, "task `\(parentID)`, which `\(id)` was delegated from, is not open on this server",
                    taskID: parentID))
            }
            chain.append(parent)
        }
        return .success(chain)
    }

    /// Whether the counters of `chain` are the ones a snapshot saw.
    func isCurrent(_ chain: [TaskEntry]) -> Bool {
        chain.allSatisfy { self[$0.record.id]?.version == $0.version }
    }

    /// `add(delta, to: ids)` and, when it succeeds, `addLabels(labels, to: ids[0])`:
    /// a task with none above it is found once for both.
    mutating func add(_ delta: TaskCounters, to ids: [String], labels: Set<String>) -> Bool {
        guard ids.count == 1 else {
            guard add(delta, to: ids) else { return false }
            if let first = ids.first { addLabels(labels, to: first) }
            return true
        }
        guard let index = entries.index(forKey: ScalarKey(ids[0])), Self.add(delta, to: &entries.values[index]) else {
            return false
        }
        Self.add(labels, to: &entries.values[index])
        return true
    }

    /// Adds `delta` to `entry`'s counters, in place; false, changing nothing, when a sum
    /// would overflow.
    private static func add(_ delta: TaskCounters, to entry: inout TaskEntry) -> Bool {
        guard entry.record.counters.add(delta) else { return false }
        entry.version &+= 1
        return true
    }

    /// Adds `delta` to the counters of each task in `ids`; false, changing nothing,
    /// when a sum would overflow or a task is gone.
    mutating func add(_ delta: TaskCounters, to ids: [String]) -> Bool {
        // Every sum is checked before any counter changes; the entries change in place.
        if ids.count == 1 {
            // A task with none above it (most): found once.
            guard let index = entries.index(forKey: ScalarKey(ids[0])) else { return false }
            return Self.add(delta, to: &entries.values[index])
        }
        for id in ids {
            guard let index = entries.index(forKey: ScalarKey(id)), entries.values[index].record.counters.canAdd(delta) else {
                return false
            }
        }
        for id in ids {
            guard let index = entries.index(forKey: ScalarKey(id)) else { continue }
            _ = Self.add(delta, to: &entries.values[index])
        }
        return true
    }

    /// Takes back a reservation `add(_:to:)` made.
    mutating func subtract(_ delta: TaskCounters, from ids: [String]) {
        for id in ids { update(id) { $0.record.counters = $0.record.counters.subtracting(delta) } }
    }

    /// Adds `labels` to the labels of task `id`, when it is held.
    mutating func addLabels(_ labels: Set<String>, to id: String) {
        // Read and changed in place (through `_modify`: reading `entries.values[index]`
        // copies the whole entry): most allows teach nothing new.
        guard let index = entries.index(forKey: ScalarKey(id)) else { return }
        Self.add(labels, to: &entries.values[index])
    }

    private static func add(_ labels: Set<String>, to entry: inout TaskEntry) {
        guard !entry.record.labels.isSuperset(of: labels) else { return }
        entry.record.labels.formUnion(labels)
        entry.version &+= 1
    }

    /// Passes labels up from the tasks `closed` (the task closed first, then its
    /// descendants by depth), as the store does: each closed task's to its parent, the
    /// deepest first, then the first task's to every task above it.
    mutating func passLabelsUp(from closed: [String]) {
        for (index, id) in closed.enumerated().reversed() {
            guard let entry = self[id] else { continue }
            var parentID = entry.record.parentID
            var steps = 0
            // A task has `depth` tasks above it; a loop cannot be walked.
            while let next = parentID, self[next] != nil, steps < entry.record.depth {
                addLabels(entry.record.labels, to: next)
                parentID = index == 0 ? self[next]?.record.parentID : nil
                steps += 1
            }
        }
    }

    /// Marks `ids` and every held descendant closed at `date`, dropping their mandates.
    mutating func close(_ ids: [String], at date: Date) {
        var queue = ids
        while let id = queue.popLast() {
            guard let entry = self[id] else { continue }
            queue.append(contentsOf: entry.children)
            update(id) { entry in
                if entry.record.closedAt == nil { entry.record.closedAt = date }
                entry.mandate = nil
            }
        }
    }

    /// Forgets every task whose expiry has passed at `now`, closed or not; returns the
    /// ids of those that were still open, in scalar order. Their credentials have
    /// expired too, so later requests find no task.
    /// The tasks `forget(endedBy:)` would report: open until `now`, in scalar order of id.
    func ended(by now: Date) -> [TaskRecord] {
        entries.values.filter { now >= $0.record.expiresAt && $0.record.closedAt == nil }.map(\.record)
            .sorted { $0.id.scalarsLess($1.id) }
    }

    mutating func forget(endedBy now: Date) -> [String] {
        let ended = entries.values.filter { now >= $0.record.expiresAt }
        for entry in ended { entries[ScalarKey(entry.record.id)] = nil }
        return ended.filter { $0.record.closedAt == nil }.map(\.record.id).sorted { $0.scalarsLess($1) }
    }

    private mutating func update(_ id: String, _ change: (inout TaskEntry) -> Void) {
        let key = ScalarKey(id)
        guard var entry = entries.removeValue(forKey: key) else { return }
        change(&entry)
        entry.version &+= 1
        entries[key] = entry
    }
}
