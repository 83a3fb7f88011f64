import Foundation

extension MemoryStore {
    public func insertApproval(_ approval: ApprovalRecord) throws(WritError) {
        let key = Array(approval.id.utf8)
        guard approvalPositions[key] == nil else { throw .duplicateApproval(id: approval.id) }
        approvalPositions[key] = approvalList.count
        approvalList.append(approval)
    }

    public func approval(id: String) -> ApprovalRecord? {
        approvalPositions[Array(id.utf8)].map { approvalList[$0] }
    }

    public func approvals(matching filter: ApprovalFilter) -> [ApprovalRecord] {
        if let limit = filter.limit, limit <= 0 { return [] }
        let matching = approvalList.enumerated().filter { filter.matches($0.element) }
            .sorted { ($0.element.requestedAt, $0.offset) < ($1.element.requestedAt, $1.offset) }
            .map(\.element)
        return filter.limit.map { Array(matching.prefix($0)) } ?? matching
    }

    public func decideApproval(id: String, _ verdict: ApprovalVerdict) -> ApprovalRecord? {
        guard let position = approvalPositions[Array(id.utf8)] else { return nil }
        var record = approvalList[position]
        guard record.state == .pending, !record.isExpired(at: verdict.decidedAt) else { return nil }
        record.state = verdict.state
        record.scope = verdict.scope
        record.expiresAt = verdict.expiresAt
        record.decidedAt = verdict.decidedAt
        record.decidedBy = verdict.decidedBy
        approvalList[position] = record
        return record
    }

    public func consumeApproval(id: String, at now: Date) -> Bool {
        guard let position = approvalPositions[Array(id.utf8)] else { return false }
        let record = approvalList[position]
        guard record.state == .approved, record.scope == .once, !record.isExpired(at: now) else { return false }
        approvalList[position].state = .consumed
        return true
    }
}
