import Foundation

extension MemoryStore {
    public func auditHead() -> AuditHead {
        auditRowList.last.map { AuditHead(sequence: $0.sequence, hash: $0.hash) } ?? .empty
    }

    public func appendAuditRows(_ rows: [AuditRow]) throws(WritError) {
        try WritError.checkAuditAppend(rows, head: auditRowList.count)
        auditRowList.append(contentsOf: rows)
    }

    public func appendAuditRows(_ rows: [AuditRow], addingTaskCounters increments: [TaskCounterIncrement]) throws(WritError)
        -> Bool
    {
        // Checked before anything changes; the counters' check-then-add changes nothing
        // when it refuses, so the rows go in only after both pass.
        try WritError.checkAuditAppend(rows, head: auditRowList.count)
        guard try taskTable.add(increments) else { return false }
        auditRowList.append(contentsOf: rows)
        return true
    }

    public func auditRows(from first: Int, limit: Int) -> [AuditRow] {
        guard limit > 0 else { return [] }
        let start = max(first, 1) - 1
        guard start < auditRowList.count else { return [] }
        return Array(auditRowList[start..<min(auditRowList.count, start + limit)])
    }

    public func queryAuditRows(_ query: AuditQuery) -> [AuditRow] {
        let limit = query.effectiveLimit
        guard limit > 0 else { return [] }
        var result: [AuditRow] = []
        if query.newestFirst {
            let end = min(auditRowList.count, query.after.map { max(0, $0 - 1) } ?? auditRowList.count)
            for row in auditRowList[..<end].reversed() where query.matches(row) {
                result.append(row)
                if result.count == limit { break }
            }
        } else {
            let start = min(auditRowList.count, max(0, query.after ?? 0))
            for row in auditRowList[start...] where query.matches(row) {
                result.append(row)
                if result.count == limit { break }
            }
        }
        return result
    }

    public func insertAuditCheckpoint(_ checkpoint: AuditCheckpoint) {
        auditCheckpointList.append(checkpoint)
    }

    public func auditCheckpoints() -> [AuditCheckpoint] {
        auditCheckpointList
    }
}

extension WritError {
    /// Checks that `rows` continue a log of `head` records without a gap; the
    /// `.conflict` every store reports otherwise.
    package static func checkAuditAppend(_ rows: [AuditRow], head: Int) throws(WritError) {
        for (offset, row) in rows.enumerated() where row.sequence != head + 1 + offset {
            throw WritError(
                .conflict,
                "the audit log holds \(head) records: the append's record \(offset + 1) must have sequence "
                    + "\(head + 1 + offset), not \(row.sequence)")
        }
    }
}
