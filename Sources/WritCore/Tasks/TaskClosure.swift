import Cedar
import Foundation

/// What closing a task did: the tasks it closed and a signed receipt listing them.
public struct TaskClosure: Sendable, Equatable {
    /// The task asked to be closed.
    public var taskID: String
    /// Every task closed: `taskID` first, then the descendants that were still open,
    /// by depth, then opening time, then id.
    public var closedIDs: [String]
    /// When (whole seconds).
    public var closedAt: Date
    /// Who closed it.
    public var closedBy: String
    /// The service's sequence number at the close; see `TaskDecision.sequence`.
    public var sequence: UInt64
    /// The signed receipt; nil when the service has no signer or signing failed
    /// (`receiptFailure` says why). The tasks are closed either way.
    public var receipt: TaskReceipt?
    /// Why there is no receipt.
    public var receiptFailure: String?

    public init(
        taskID: String, closedIDs: [String], closedAt: Date, closedBy: String, sequence: UInt64,
        receipt: TaskReceipt? = nil, receiptFailure: String? = nil
    ) {
        self.taskID = taskID
        self.closedIDs = closedIDs
        self.closedAt = closedAt
        self.closedBy = closedBy
        self.sequence = sequence
        self.receipt = receipt
        self.receiptFailure = receiptFailure
    }

    /// The bytes the receipt signs: one JSON object, compact, keys in this order —
    /// `{"typ":"writ-task-close-receipt","task":…,"closed":[…],"closed_at":<Unix
    /// seconds>,"closed_by":…,"sequence":…}`.
    public var receiptPayload: [UInt8] {
        JSON.object(JSONObject(uniqueMembers: [
            (key: "typ", value: .string(TaskReceipt.type)),
            (key: "task", value: .string(taskID)),
            (key: "closed", value: .array(closedIDs.map { .string($0) })),
            (key: "closed_at", value: .number(JSONNumber(Int64(closedAt.timeIntervalSince1970)))),
            (key: "closed_by", value: .string(closedBy)),
            (key: "sequence", value: .number(JSONNumber(Int64(clamping: sequence)))),
        ])).encodedBytes()
    }
}

/// A close receipt: `payload` (see `TaskClosure.receiptPayload`) signed by the key
/// `keyID` (Ed25519, verifiable with the published JWKS), the signature over the
/// payload bytes exactly.
public struct TaskReceipt: Sendable, Equatable {
    /// The `typ` member of every receipt payload.
    public static let type = "writ-task-close-receipt"

    /// The signed bytes.
    public var payload: [UInt8]
    /// The signing key's id (`kid`).
    public var keyID: String
    /// The Ed25519 signature of `payload`.
    public var signature: [UInt8]

    public init(payload: [UInt8], keyID: String, signature: [UInt8]) {
        self.payload = payload
        self.keyID = keyID
        self.signature = signature
    }
}
