import Cedar

/// One page of an audit query: the records, and the cursor for the next page.
public struct AuditPage: Sendable, Equatable {
    public var records: [AuditRecord]
    /// Pass as `after` for the next page; nil when this page is the last.
    public var next: Int?

    public init(records: [AuditRecord], next: Int?) {
        self.records = records
        self.next = next
    }

    /// `{"records": [...], "next": "42"}`; `next` omitted on the last page.
    package var json: JSON {
        var object = JSONObject()
        object.append("records", .array(records.map(\.json)))
        if let next { object.append("next", .string(String(next))) }
        return .object(object)
    }

    /// `json` as compact text.
    public var jsonText: String { json.encoded(pretty: false) }
}

extension AuditStore {
    /// The records `query` selects, decoded from their canonical bytes, with the
    /// cursor of the next page when this one is full.
    /// - Throws: `.corruptState` naming a record whose bytes do not decode.
    public func auditPage(_ query: AuditQuery) async throws(WritError) -> AuditPage {
        let rows = try await queryAuditRows(query)
        var records: [AuditRecord] = []
        records.reserveCapacity(rows.count)
        for row in rows { records.append(try AuditRecord(row: row)) }
        let full = !rows.isEmpty && rows.count == query.effectiveLimit
        return AuditPage(records: records, next: full ? rows.last?.sequence : nil)
    }
}
