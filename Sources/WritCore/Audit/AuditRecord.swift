import Foundation

/// A record as a store keeps it: the columns audit queries select on, the hashes, and
/// the canonical bytes the hash covers. Stores return rows unchecked — `AuditVerifier`
/// checks that the columns say what the canonical bytes say — so text columns hold
/// whatever the store read, decoded leniently (invalid UTF-8 becomes U+FFFD).
public struct AuditRow: Sendable, Equatable {
    /// 1-based, gap-free position in the log.
    public var sequence: Int
    /// `AuditEventKind.rawValue`.
    public var kind: String
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var timeMicros: Int64
    public var actor: String?
    public var decisionID: String?
    public var taskID: String?
    public var agent: String?
    public var user: String?
    public var resource: String?
    public var action: String?
    /// `AuditOutcome.rawValue`.
    public var outcome: String?
    /// The hash of the record before (32 zero bytes for the first).
    public var previousHash: [UInt8]
    /// SHA-256 over the domain and `canonical` (docs/AUDIT.md).
    public var hash: [UInt8]
    /// The record's canonical encoding (docs/AUDIT.md).
    public var canonical: [UInt8]

    public init(
        sequence: Int, kind: String, timeMicros: Int64, actor: String?, decisionID: String?, taskID: String?,
        agent: String?, user: String?, resource: String?, action: String?, outcome: String?,
        previousHash: [UInt8], hash: [UInt8], canonical: [UInt8]
    ) {
        self.sequence = sequence
        self.kind = kind
        self.timeMicros = timeMicros
        self.actor = actor
        self.decisionID = decisionID
        self.taskID = taskID
        self.agent = agent
        self.user = user
        self.resource = resource
        self.action = action
        self.outcome = outcome
        self.previousHash = previousHash
        self.hash = hash
        self.canonical = canonical
    }
}

/// A record read back and decoded from its canonical bytes.
public struct AuditRecord: Sendable, Equatable {
    public var sequence: Int
    /// The event, its time truncated to microseconds as recorded.
    public var event: AuditEvent
    public var previousHash: [UInt8]
    public var hash: [UInt8]

    public init(sequence: Int, event: AuditEvent, previousHash: [UInt8], hash: [UInt8]) {
        self.sequence = sequence
        self.event = event
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The record a row's canonical bytes hold.
    /// - Throws: `.corruptState` naming the sequence when the bytes do not decode.
    public init(row: AuditRow) throws(WritError) {
        let decoded: AuditCanonical.Decoded
        do {
            decoded = try AuditCanonical.decode(row.canonical)
        } catch {
            throw WritError(.corruptState, "audit record \(row.sequence) cannot be read: \(error.reason)")
        }
        self.init(sequence: decoded.sequence, event: decoded.event, previousHash: decoded.previousHash, hash: row.hash)
    }
}

/// The last record of a log: its sequence (the log's size) and hash.
public struct AuditHead: Sendable, Equatable {
    public var sequence: Int
    public var hash: [UInt8]
    public init(sequence: Int, hash: [UInt8]) {
        self.sequence = sequence
        self.hash = hash
    }

    /// The head of an empty log: size 0, the all-zero hash.
    public static let empty = AuditHead(sequence: 0, hash: AuditCanonical.zeroHash)
}
