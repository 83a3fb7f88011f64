import Foundation

/// Checks an audit log end to end: every record's hash recomputed from its stored
/// canonical bytes, the stored columns against those bytes, sequence continuity, the
/// chain links, every checkpoint's signature (from the store and from a directory
/// outside it), the chain's hash at each checkpoint's size, and that the log is not
/// shorter than its latest checkpoint. Reads the log in pages; memory stays bounded
/// by the page size and the number of checkpoints.
public struct AuditVerifier: Sendable {
    /// What a verification found.
    public enum Outcome: Sendable, Equatable {
        /// Every check passed: `size` records, `checkpoints` checkpoints checked.
        case ok(size: Int, checkpoints: Int)
        /// The first problem found.
        case failed(AuditVerificationFailure)
    }

    public let store: any AuditStore
    /// Checkpoints read from outside the database (`AuditCheckpointDirectory`).
    public let externalCheckpoints: [AuditCheckpoint]
    /// The public keys checkpoints must be signed with; nil accepts any key whose
    /// signature verifies (then only external checkpoints defeat a full rewrite).
    public let trustedKeys: [[UInt8]]?
    /// Records read per page.
    public let pageSize: Int

    public init(
        store: any AuditStore, externalCheckpoints: [AuditCheckpoint] = [], trustedKeys: [[UInt8]]? = nil,
        pageSize: Int = 512
    ) {
        self.store = store
        self.externalCheckpoints = externalCheckpoints
        self.trustedKeys = trustedKeys
        self.pageSize = max(1, pageSize)
    }

    /// Runs every check and reports the first failure, in log order.
    /// - Throws: only when the store cannot be read.
    public func verify() async throws(WritError) -> Outcome {
        let stored = try await store.auditCheckpoints()
        var expected: [Int: [UInt8]] = [:]
        var latest = 0
        for (checkpoint, place) in stored.map({ ($0, "stored") }) + externalCheckpoints.map({ ($0, "external") }) {
            if let problem = checkpointProblem(checkpoint) {
                return .failed(.init(sequence: checkpoint.size, problem: .badCheckpoint(
                    size: checkpoint.size, reason: "the \(place) checkpoint of size \(checkpoint.size): \(problem)")))
            }
            if let other = expected[checkpoint.size], other != checkpoint.headHash {
                return .failed(.init(sequence: checkpoint.size, problem: .checkpointMismatch(size: checkpoint.size)))
            }
            expected[checkpoint.size] = checkpoint.headHash
            latest = max(latest, checkpoint.size)
        }
        if let zero = expected[0], zero != AuditCanonical.zeroHash {
            return .failed(.init(sequence: 0, problem: .checkpointMismatch(size: 0)))
        }
        var previous = AuditCanonical.zeroHash
        var next = 1
        while true {
            let page = try await store.auditRows(from: next, limit: pageSize)
            for row in page {
                if let failure = check(row, expecting: next, previous: previous) { return .failed(failure) }
                if let head = expected[row.sequence], head != row.hash {
                    return .failed(.init(sequence: row.sequence, problem: .checkpointMismatch(size: row.sequence)))
                }
                previous = row.hash
                next += 1
            }
            if page.count < pageSize { break }
        }
        let size = next - 1
        if latest > size {
            return .failed(.init(sequence: size + 1, problem: .truncated(checkpointSize: latest)))
        }
        return .ok(size: size, checkpoints: stored.count + externalCheckpoints.count)
    }

    private func checkpointProblem(_ checkpoint: AuditCheckpoint) -> String? {
        if let problem = checkpoint.signatureProblem { return problem }
        if let trustedKeys, !trustedKeys.contains(checkpoint.publicKey) {
            return "it is signed by key `\(checkpoint.keyID)`, not the audit signing key"
        }
        return nil
    }

    /// The first thing wrong with `row` as record `sequence` following `previous`.
    private func check(_ row: AuditRow, expecting sequence: Int, previous: [UInt8]) -> AuditVerificationFailure? {
        guard row.sequence == sequence else {
            return .init(sequence: sequence, problem: .missing)
        }
        guard AuditCanonical.hash(canonical: row.canonical) == row.hash else {
            return .init(sequence: sequence, problem: .hashMismatch)
        }
        let decoded: AuditCanonical.Decoded
        do {
            decoded = try AuditCanonical.decode(row.canonical)
        } catch {
            return .init(sequence: sequence, problem: .malformed(reason: error.reason))
        }
        if let field = Self.differingColumn(stored: row, canonical: decoded.row) {
            return .init(sequence: sequence, problem: .columnMismatch(column: field))
        }
        guard decoded.previousHash == previous else {
            return .init(sequence: sequence, problem: .linkBroken)
        }
        return nil
    }

    /// The first column of `stored` that differs from what the canonical bytes say.
    static func differingColumn(stored: AuditRow, canonical: AuditRow) -> String? {
        func same(_ a: String?, _ b: String?) -> Bool {
            switch (a, b) {
            case (nil, nil): return true
            case let (a?, b?): return a.utf8.elementsEqual(b.utf8)
            default: return false
            }
        }
        if stored.sequence != canonical.sequence { return "sequence" }
        if !same(stored.kind, canonical.kind) { return "kind" }
        if stored.timeMicros != canonical.timeMicros { return "time" }
        let texts: [(String, String?, String?)] = [
            ("actor", stored.actor, canonical.actor), ("decision_id", stored.decisionID, canonical.decisionID),
            ("task_id", stored.taskID, canonical.taskID), ("agent", stored.agent, canonical.agent),
            ("user", stored.user, canonical.user), ("resource", stored.resource, canonical.resource),
            ("action", stored.action, canonical.action), ("outcome", stored.outcome, canonical.outcome),
        ]
        for (name, a, b) in texts where !same(a, b) { return name }
        if stored.previousHash != canonical.previousHash { return "previous_hash" }
        return nil
    }
}

/// The first bad record of a log and what is wrong with it.
public struct AuditVerificationFailure: Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Problem: Sendable, Equatable {
        /// The stored hash is not the hash of the stored canonical bytes.
        case hashMismatch
        /// The canonical bytes do not decode as a record.
        case malformed(reason: String)
        /// A stored column says something the canonical bytes do not.
        case columnMismatch(column: String)
        /// The record's previous hash is not the hash of the record before it.
        case linkBroken
        /// No record has this sequence, though later ones exist (or it is out of order).
        case missing
        /// The chain's hash at `size` is not the head a checkpoint signed.
        case checkpointMismatch(size: Int)
        /// A checkpoint whose signature or key does not verify.
        case badCheckpoint(size: Int, reason: String)
        /// The log ends before the size a checkpoint signed.
        case truncated(checkpointSize: Int)
    }

    /// The first bad record's sequence (for truncation: the first missing one).
    public let sequence: Int
    public let problem: Problem

    public init(sequence: Int, problem: Problem) {
        self.sequence = sequence
        self.problem = problem
    }

    public var description: String {
        switch problem {
        case .hashMismatch: return "record \(sequence): hash mismatch (the stored hash is not the hash of its bytes)"
        case .malformed(let reason): return "record \(sequence): malformed canonical bytes (\(reason))"
        case .columnMismatch(let column): return "record \(sequence): the stored `\(column)` differs from its canonical bytes"
        case .linkBroken: return "record \(sequence): link broken (its previous hash is not record \(sequence - 1)'s hash)"
        case .missing: return "record \(sequence): missing sequence"
        case .checkpointMismatch(let size): return "record \(sequence): checkpoint mismatch at size \(size)"
        case .badCheckpoint(_, let reason): return "checkpoint invalid: \(reason)"
        case .truncated(let size): return "record \(sequence): truncated below checkpoint size \(size)"
        }
    }
}
