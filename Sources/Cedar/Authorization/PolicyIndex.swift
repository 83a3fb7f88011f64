/// Indexes policies by their scope so a request touches only the policies that can
/// apply to it.
///
/// Each scope dimension (principal, action, resource) maps entity uids and entity
/// types to the policies that name them, plus the policies that leave it open. A
/// request's candidates in one dimension are the policies under its entity, under
/// each of that entity's ancestors, under its type, and the open ones. The index
/// picks the dimension with the fewest candidates; the full scope check follows.
struct PolicyIndex: Sendable {
    private struct Dimension: Sendable {
        var byUID: [EntityUID: [Int]] = [:]
        var byType: [EntityType: [Int]] = [:]
        var open: [Int] = []

        mutating func add(_ check: ScopeCheck, _ index: Int) {
            switch check {
            case .any, .never: open.append(index)
            case .equal(let uid), .in(let uid), .isIn(_, let uid): byUID[uid, default: []].append(index)
            case .inAny(let uids): for uid in Set(uids) { byUID[uid, default: []].append(index) }
            case .is(let type): byType[type, default: []].append(index)
            }
        }

        /// The candidate lists for a request entity, and their total length.
        func candidates(for uid: EntityUID, _ entities: Entities) -> (lists: [[Int]], total: Int) {
            var lists: [[Int]] = [open]
            if let l = byUID[uid] { lists.append(l) }
            if let l = byType[uid.type] { lists.append(l) }
            if !byUID.isEmpty {
                for ancestor in entities.ancestors(of: uid) {
                    if let l = byUID[ancestor] { lists.append(l) }
                }
            }
            return (lists, lists.reduce(0) { $0 + $1.count })
        }
    }

    private var principal = Dimension()
    private var action = Dimension()
    private var resource = Dimension()
    private let count: Int

    /// Below this many policies, scanning them all is cheaper than consulting the index.
    static let scanThreshold = 16

    /// A candidate list this short is not worth improving on with another dimension.
    static let goodEnough = 8

    init(_ policies: [CompiledPolicy]) {
        count = policies.count
        for (i, p) in policies.enumerated() {
            principal.add(p.principal, i)
            action.add(p.action, i)
            resource.add(p.resource, i)
        }
    }

    /// Indices of the policies that may apply to `request`, in ascending order, or nil
    /// when every policy should be considered.
    func candidates(for request: Request, _ entities: Entities) -> [Int]? {
        guard count >= Self.scanThreshold else { return nil }
        // Dimensions are looked up one by one; a short enough list ends the search early.
        var best = principal.candidates(for: request.principal, entities)
        if best.total > Self.goodEnough {
            let next = resource.candidates(for: request.resource, entities)
            if next.total < best.total { best = next }
        }
        if best.total > Self.goodEnough {
            let next = action.candidates(for: request.action, entities)
            if next.total < best.total { best = next }
        }
        if best.total >= count { return nil }
        if best.lists.count == 1 { return best.lists[0] }
        var merged = best.lists.flatMap { $0 }
        merged.sort()
        var unique: [Int] = []
        unique.reserveCapacity(merged.count)
        for i in merged where unique.last != i { unique.append(i) }
        return unique
    }
}
