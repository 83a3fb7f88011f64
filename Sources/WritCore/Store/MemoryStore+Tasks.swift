import Foundation

extension MemoryStore {
    public func insertTask(_ task: TaskRecord) throws(WritError) {
        try taskTable.insert(task)
    }

    public func task(id: String) -> TaskRecord? {
        taskTable.records[Array(id.utf8)]
    }

    public func tasks(matching filter: TaskFilter) -> [TaskRecord] {
        guard filter.limit.map({ $0 > 0 }) ?? true else { return [] }
        let matching = taskTable.records.values.filter(filter.matches).sorted(by: MemoryTaskTable.precedes)
        return filter.limit.map { Array(matching.prefix($0)) } ?? matching
    }

    public func closeTaskSubtree(id: String, at date: Date) throws(WritError) -> [String] {
        try taskTable.closeSubtree(id: id, at: date)
    }

    public func addTaskCounters(_ increments: [TaskCounterIncrement]) throws(WritError) -> Bool {
        try taskTable.add(increments)
    }

    public func addTaskLabels(_ labels: Set<String>, to id: String) throws(WritError) -> Set<String> {
        try taskTable.addLabels(labels, to: id)
    }
}

/// The tasks of a `MemoryStore`, keyed by the UTF-8 bytes of their ids (exact
/// scalars, never normalised), with each task's children.
struct MemoryTaskTable: Sendable {
    var records: [[UInt8]: TaskRecord] = [:]
    var children: [[UInt8]: [[UInt8]]] = [:]

    mutating func insert(_ task: TaskRecord) throws(WritError) {
        let key = Array(task.id.utf8)
        guard records[key] == nil else { throw .duplicateTask(id: task.id) }
        if let parentID = task.parentID {
            guard let parent = records[Array(parentID.utf8)] else { throw .unknownParentTask(id: parentID) }
            guard parent.closedAt == nil else { throw .closedParentTask(id: parentID) }
            children[Array(parentID.utf8), default: []].append(key)
        }
        records[key] = task
    }

    mutating func closeSubtree(id: String, at date: Date) throws(WritError) -> [String] {
        let root = Array(id.utf8)
        guard let task = records[root] else { throw .unknownTask(id: id) }
        guard task.closedAt == nil else { return [] }
        var descendants: [TaskRecord] = []
        var queue = children[root] ?? []
        while let next = queue.popLast() {
            guard let child = records[next] else { continue }
            descendants.append(child)
            queue.append(contentsOf: children[next] ?? [])
        }
        let closing = [task] + descendants.filter { $0.closedAt == nil }.sorted(by: Self.subtreeOrder)
        for record in closing { records[Array(record.id.utf8)]?.closedAt = date }
        // Labels flow up: the deepest first, so each task passes on its children's too.
        for record in closing.reversed() {
            guard let labels = records[Array(record.id.utf8)]?.labels else { continue }
            var parentID = record.parentID
            // Within the closed subtree, one step (each closed task passes them on in
            // turn); above it, to every task up to the root.
            while let id = parentID, let parent = records[Array(id.utf8)] {
                records[Array(id.utf8)]?.labels.formUnion(labels)
                parentID = record.id.utf8.elementsEqual(task.id.utf8) ? parent.parentID : nil
            }
        }
        return closing.map(\.id)
    }

    mutating func addLabels(_ labels: Set<String>, to id: String) throws(WritError) -> Set<String> {
        let key = Array(id.utf8)
        guard let record = records[key] else { throw .unknownTask(id: id) }
        guard record.closedAt == nil else { throw .closedTask(id: id) }
        let grown = record.labels.union(labels)
        records[key]?.labels = grown
        return grown
    }

    mutating func add(_ increments: [TaskCounterIncrement]) throws(WritError) -> Bool {
        var sums: [[UInt8]: (counters: TaskCounters, labels: Set<String>)] = [:]
        for increment in increments {
            let key = Array(increment.taskID.utf8)
            guard let record = records[key], record.closedAt == nil else { return false }
            let current = sums[key] ?? (record.counters, record.labels)
            guard let sum = current.counters.adding(increment.counters) else {
                throw .taskCountersOverflow(id: increment.taskID)
            }
            sums[key] = (sum, current.labels.union(increment.labels))
        }
        for (key, sum) in sums {
            records[key]?.counters = sum.counters
            records[key]?.labels = sum.labels
        }
        return true
    }

    /// By `openedAt`, then by id in UTF-8 byte order.
    static func precedes(_ a: TaskRecord, _ b: TaskRecord) -> Bool {
        if a.openedAt != b.openedAt { return a.openedAt < b.openedAt }
        return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
    }

    /// By depth, then as `precedes`.
    static func subtreeOrder(_ a: TaskRecord, _ b: TaskRecord) -> Bool {
        a.depth != b.depth ? a.depth < b.depth : precedes(a, b)
    }
}
