import Foundation

extension AuditStore {
    /// The last `limit` decision records on `resource` (a Cedar uid, `Writ::Tool::"t"`),
    /// newest first; at most `AuditQuery.maxLimit`.
    ///
    /// Selects by resource alone, so a store reads its resource index
    /// (`audit_by_resource` in SQLite) and stops after `limit` decisions: asking for
    /// the kind too lets SQLite choose the kind index, which walks every decision of
    /// the log. The few other events on a resource (an inventory change, an approval)
    /// are skipped before their records are decoded.
    /// - Throws: a store error; `.corruptState` for a record that does not decode.
    public func latestDecisions(on resource: String, limit: Int) async throws(WritError) -> [AuditRecord] {
        let wanted = max(0, min(limit, AuditQuery.maxLimit))
        var records: [AuditRecord] = []
        var after: Int?
        while records.count < wanted {
            let query = AuditQuery(resource: resource, after: after, limit: min(AuditQuery.maxLimit, wanted - records.count + 8))
            let rows = try await queryAuditRows(query)
            for row in rows where row.kind.utf8.elementsEqual(AuditEventKind.decision.rawValue.utf8) {
                let record = try AuditRecord(row: row)
                guard record.event.kind == .decision else { continue }
                records.append(record)
                if records.count == wanted { break }
            }
            guard rows.count == query.effectiveLimit, let last = rows.last else { break }
            after = last.sequence
        }
        return records
    }
}
