import Cedar
import Foundation
import GRDB
import WritCore

extension SQLiteStore {
    private static let taskColumns = """
        id, parent_id, agent, on_behalf_of, purpose, mandate, depth, opened_at, expires_at, closed_at, opened_by,
        budgets, counters, labels
        """

    public func insertTask(_ task: TaskRecord) async throws(WritError) {
        let mandate = try Self.encode(task.mandate, "the mandate of task `\(task.id)`")
        let budgets = try Self.encode(task.budgets, "the budgets of task `\(task.id)`")
        let counters = Data(task.counters.storedJSON)
        let labels = Self.encodeLabels(task.labels)
        try await write { db in
            let id = SQLiteColumns.blob(task.id)
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM task WHERE id = ?", arguments: [id]) == nil else {
                throw WritError.duplicateTask(id: task.id)
            }
            if let parentID = task.parentID {
                let open = try Bool.fetchOne(
                    db, sql: "SELECT closed_at IS NULL FROM task WHERE id = ?", arguments: [SQLiteColumns.blob(parentID)])
                guard let open else { throw WritError.unknownParentTask(id: parentID) }
                guard open else { throw WritError.closedParentTask(id: parentID) }
            }
            try db.execute(
                sql: "INSERT INTO task (\(Self.taskColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    id, SQLiteColumns.blob(task.parentID), SQLiteColumns.blob(task.agent),
                    SQLiteColumns.blob(task.onBehalfOf), SQLiteColumns.blob(task.purpose), mandate, task.depth,
                    task.openedAt.timeIntervalSinceReferenceDate, task.expiresAt.timeIntervalSinceReferenceDate,
                    task.closedAt?.timeIntervalSinceReferenceDate, SQLiteColumns.blob(task.openedBy), budgets, counters,
                    labels,
                ])
        }
    }

    public func task(id: String) async throws(WritError) -> TaskRecord? {
        let path = self.path
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.taskColumns) FROM task WHERE id = ?", arguments: [SQLiteColumns.blob(id)])
                .map { try Self.task($0, path: path) }
        }
    }

    public func tasks(matching filter: TaskFilter) async throws(WritError) -> [TaskRecord] {
        if let limit = filter.limit, limit <= 0 { return [] }
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let agent = filter.agent {
            conditions.append("agent = ?")
            let value: Data = SQLiteColumns.blob(agent)
            arguments += [value]
        }
        if let user = filter.onBehalfOf {
            conditions.append("on_behalf_of = ?")
            let value: Data = SQLiteColumns.blob(user)
            arguments += [value]
        }
        let now = filter.now.timeIntervalSinceReferenceDate
        switch filter.state {
        case .open?:
            conditions.append("closed_at IS NULL AND expires_at > ?")
            arguments += [now]
        case .expired?:
            conditions.append("closed_at IS NULL AND expires_at <= ?")
            arguments += [now]
        case .closed?:
            conditions.append("closed_at IS NOT NULL")
        case nil:
            break
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [filter.limit ?? -1]
        let sql = "SELECT \(Self.taskColumns) FROM task \(whereClause) ORDER BY opened_at, id LIMIT ?"
        let path = self.path
        return try await read { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { try Self.task($0, path: path) }
        }
    }

    public func closeTaskSubtree(id: String, at date: Date) async throws(WritError) -> [String] {
        let path = self.path
        return try await write { db in
            let root = SQLiteColumns.blob(id)
            let open = try Bool.fetchOne(db, sql: "SELECT closed_at IS NULL FROM task WHERE id = ?", arguments: [root])
            guard let open else { throw WritError.unknownTask(id: id) }
            guard open else { return [] }
            let descendants = try Row.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE subtree (id) AS (
                        SELECT id FROM task WHERE parent_id = ?
                        UNION SELECT task.id FROM task JOIN subtree ON task.parent_id = subtree.id
                    )
                    SELECT id FROM task WHERE id IN subtree AND closed_at IS NULL ORDER BY depth, opened_at, id
                    """,
                arguments: [root]
            ).map { try SQLiteColumns.text($0, "id", "a task", path: path) }
            let closing = [id] + descendants
            let statement = try db.cachedStatement(sql: "UPDATE task SET closed_at = ? WHERE id = ?")
            for closed in closing {
                try statement.execute(arguments: [date.timeIntervalSinceReferenceDate, SQLiteColumns.blob(closed)])
            }
            // Labels flow up: the deepest first, so each task passes on its children's
            // too; the task closed passes all of them to every task above it.
            for closed in closing.reversed() {
                let key = SQLiteColumns.blob(closed)
                guard let row = try Row.fetchOne(db, sql: "SELECT parent_id, labels FROM task WHERE id = ?", arguments: [key]),
                    let parent = row["parent_id"] as Data?
                else { continue }
                let labels = try Self.labels(row, closed, path: path)
                guard !labels.isEmpty else { continue }
                if closed.utf8.elementsEqual(id.utf8) {
                    let ancestors = try Data.fetchAll(
                        db,
                        sql: """
                            WITH RECURSIVE above (id, parent_id) AS (
                                SELECT id, parent_id FROM task WHERE id = ?
                                UNION SELECT task.id, task.parent_id FROM task JOIN above ON task.id = above.parent_id
                            )
                            SELECT id FROM above
                            """,
                        arguments: [parent])
                    for ancestor in ancestors { try Self.addLabels(labels, to: ancestor, db, path: path) }
                } else {
                    try Self.addLabels(labels, to: parent, db, path: path)
                }
            }
            return closing
        }
    }

    public func addTaskLabels(_ labels: Set<String>, to id: String) async throws(WritError) -> Set<String> {
        let path = self.path
        return try await write { db in
            let key = SQLiteColumns.blob(id)
            let open = try Bool.fetchOne(db, sql: "SELECT closed_at IS NULL FROM task WHERE id = ?", arguments: [key])
            guard let open else { throw WritError.unknownTask(id: id) }
            guard open else { throw WritError.closedTask(id: id) }
            return try Self.addLabels(labels, to: key, db, path: path)
        }
    }

    public func addTaskCounters(_ increments: [TaskCounterIncrement]) async throws(WritError) -> Bool {
        let path = self.path
        // On the caller's thread: a decision's one write, small, where the hop to the
        // writer's queue and back would cost more than the write (or, under
        // `Durability.full`, be paid on top of its fsync).
        return try writeNow { db in try Self.addTaskCounters(increments, db, path: path) }
    }

    static func addTaskCounters(_ increments: [TaskCounterIncrement], _ db: Database, path: String) throws -> Bool {
        // By task, in the order first named; ids compared by their bytes, as stored.
        // An answer charges a task and its ancestors: a few, searched in turn.
        var sums: [CounterSum] = []
        for increment in increments {
            let index: Int
            if let known = sums.firstIndex(where: { $0.id.utf8.elementsEqual(increment.taskID.utf8) }) {
                index = known
            } else {
                guard let sum = try Self.openTaskCounters(increment.taskID, db, path: path) else { return false }
                sums.append(sum)
                index = sums.count - 1
            }
            guard let counters = sums[index].counters.adding(increment.counters) else {
                throw WritError.taskCountersOverflow(id: increment.taskID)
            }
            sums[index].counters = counters
            if !increment.labels.isSubset(of: sums[index].labels) {
                sums[index].labels.formUnion(increment.labels)
                sums[index].labelsGrew = true
            }
        }
        for sum in sums {
            // The labels are written only when they grew (an allow seldom adds one):
            // labels read and unchanged stay as stored.
            if sum.labelsGrew {
                try SQLiteDirect.execute(db.cachedStatement(sql: "UPDATE task SET counters = ?, labels = ? WHERE id = ?")) {
                    try $0.bindBlob(sum.counters.storedJSON, at: 1)
                    try $0.bindBlob(Self.encodeLabels(sum.labels), at: 2)
                    try $0.bindBlob(sum.id, at: 3)
                }
            } else {
                try SQLiteDirect.execute(db.cachedStatement(sql: "UPDATE task SET counters = ? WHERE id = ?")) {
                    try $0.bindBlob(sum.counters.storedJSON, at: 1)
                    try $0.bindBlob(sum.id, at: 2)
                }
            }
        }
        return true
    }

    /// The counters and labels of task `id` when it is open; nil when it is closed or
    /// unknown.
    private static func openTaskCounters(_ id: String, _ db: Database, path: String) throws -> CounterSum? {
        let select = try db.cachedStatement(sql: "SELECT counters, labels FROM task WHERE id = ? AND closed_at IS NULL")
        return try SQLiteDirect.fetchFirst(select, { try $0.bindBlob(id, at: 1) }) { columns in
            guard let counters = columns.bytes(0) else {
                throw WritError(.corruptState, "task `\(id)` in `\(path)` has no `counters`")
            }
            guard let labels = columns.bytes(1) else {
                throw WritError(.corruptState, "task `\(id)` in `\(path)` has no `labels`")
            }
            return CounterSum(
                id: id, counters: try Self.counters(counters, "task `\(id)`", path: path),
                labels: try Self.labels(labels, "task `\(id)`", path: path))
        }
    }

    /// A task's counters and labels with the increments added so far in one write.
    private struct CounterSum {
        let id: String
        var counters: TaskCounters
        var labels: Set<String>
        /// Whether an increment added a label the task did not have.
        var labelsGrew = false
    }

    // MARK: - Labels

    /// Labels as stored: a JSON array in UTF-8 byte order.
    private static func encodeLabels(_ labels: Set<String>) -> Data {
        let sorted = labels.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return Data(JSON.array(sorted.map(JSON.string)).encodedBytes())
    }

    /// The `labels` column of `row`, a row of task `id`.
    private static func labels(_ row: Row, _ id: String, path: String) throws -> Set<String> {
        let what = "task `\(id)`"
        return try labels(Array(try SQLiteColumns.text(row, "labels", what, path: path).utf8), what, path: path)
    }

    /// The labels `bytes` hold, the `labels` column of `what` (a task).
    private static func labels(
        _ bytes: [UInt8], _ what: @autoclosure () -> String, path: String
    ) throws(WritError) -> Set<String> {
        // Only UTF-8 text parses as JSON: text that does not is checked for that first.
        guard case .array(let items)? = try? JSON.parse(bytes) else {
            try checkUTF8(bytes, "labels", what(), path: path)
            throw WritError(.corruptState, "the labels of \(what()) in `\(path)` cannot be read: not a JSON array")
        }
        var labels: Set<String> = []
        for item in items {
            guard case .string(let label) = item else {
                throw WritError(.corruptState, "the labels of \(what()) in `\(path)` cannot be read: a label is not a string")
            }
            labels.insert(label)
        }
        return labels
    }

    /// The counters `bytes` hold, the `counters` column of `what` (a task), as
    /// `TaskCounters.storedJSON` wrote them.
    private static func counters(
        _ bytes: [UInt8], _ what: @autoclosure () -> String, path: String
    ) throws(WritError) -> TaskCounters {
        // Only UTF-8 text is read as counters: text that is not is checked for that first.
        guard let counters = TaskCounters(storedJSON: bytes) else {
            try checkUTF8(bytes, "counters", what(), path: path)
            throw WritError(.corruptState, "the counters of \(what()) in `\(path)` cannot be read: not the counters' JSON")
        }
        return counters
    }

    /// `.corruptState` when `bytes`, `column` of `what`, are not UTF-8 (as `SQLiteColumns.text` finds).
    private static func checkUTF8(_ bytes: [UInt8], _ column: String, _ what: String, path: String) throws(WritError) {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw WritError(.corruptState, "\(what) in `\(path)` has a `\(column)` that is not UTF-8")
        }
    }

    /// Adds `labels` to those of the task whose id is `key`; returns them all.
    @discardableResult
    private static func addLabels(_ labels: Set<String>, to key: Data, _ db: Database, path: String) throws -> Set<String> {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, labels FROM task WHERE id = ?", arguments: [key]) else { return [] }
        let id = try SQLiteColumns.text(row, "id", "a task", path: path)
        let current = try Self.labels(row, id, path: path)
        let grown = current.union(labels)
        if grown != current {
            try db.execute(sql: "UPDATE task SET labels = ? WHERE id = ?", arguments: [encodeLabels(grown), key])
        }
        return grown
    }

    // MARK: - Rows

    private static func task(_ row: Row, path: String) throws -> TaskRecord {
        let id = try SQLiteColumns.text(row, "id", "a task", path: path)
        let what = "task `\(id)`"
        func text(_ column: String) throws -> String { try SQLiteColumns.text(row, column, what, path: path) }
        let labels = try Self.labels(row, id, path: path)
        return TaskRecord(
            id: id, agent: try text("agent"), onBehalfOf: try text("on_behalf_of"), purpose: try text("purpose"),
            mandate: try decode([SourceFile].self, try text("mandate"), what, path: path),
            parentID: try SQLiteColumns.optionalText(row, "parent_id", what, path: path),
            depth: try row.decode(Int.self, forColumn: "depth"), openedAt: try SQLiteColumns.date(row, "opened_at"),
            expiresAt: try SQLiteColumns.date(row, "expires_at"), closedAt: try SQLiteColumns.optionalDate(row, "closed_at"),
            openedBy: try text("opened_by"), budgets: try decode(TaskBudgets.self, try text("budgets"), what, path: path),
            counters: try counters(Array(try text("counters").utf8), what, path: path), labels: labels)
    }
}
