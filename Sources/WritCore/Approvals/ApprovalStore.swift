import Foundation

/// Approvals: asked for, decided once, and — single-use ones — consumed once. Every
/// change is a compare-and-set inside one store transaction, so concurrent deciders
/// and consumers see exactly one winner.
public protocol ApprovalStore: Sendable {
    /// Stores a new approval; `.conflict` when its id exists.
    func insertApproval(_ approval: ApprovalRecord) async throws(WritError)
    /// The approval with this id, in any state; nil when unknown.
    func approval(id: String) async throws(WritError) -> ApprovalRecord?
    /// The approvals `filter` selects, oldest first (by `requestedAt`, then insertion).
    func approvals(matching filter: ApprovalFilter) async throws(WritError) -> [ApprovalRecord]
    /// Decides approval `id` — only if it is `pending` and unexpired at `verdict.decidedAt`.
    /// Returns the approval as decided; nil when it is unknown, already decided or expired
    /// (then nothing changes).
    func decideApproval(id: String, _ verdict: ApprovalVerdict) async throws(WritError) -> ApprovalRecord?
    /// Marks approval `id` consumed — only if it is `approved`, scoped `once` and
    /// unexpired at `now`. Returns whether it was (exactly one caller ever gets true).
    func consumeApproval(id: String, at now: Date) async throws(WritError) -> Bool
}

extension WritError {
    /// An approval insert whose id is taken.
    package static func duplicateApproval(id: String) -> WritError {
        WritError(.conflict, "an approval with id `\(id)` already exists")
    }
}
