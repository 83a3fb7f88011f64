import Cedar
import Crypto
import Foundation

/// The canonical encoding of audit records and the hash chain over them, exactly as
/// docs/AUDIT.md specifies for anyone verifying a log with their own code.
///
/// A record's canonical bytes are its fields in a fixed order, each as a 4-byte
/// big-endian length and that many bytes (`0xFFFFFFFF` and no bytes for an absent
/// field); integers are 8-byte big-endian two's complement. Its hash is SHA-256 over
/// the domain `writ.audit.record.v1`, encoded as a field, followed by those bytes.
public enum AuditCanonical {
    /// The domain that separates record hashes from every other SHA-256 use.
    public static let recordDomain = "writ.audit.record.v1"
    /// The previous hash of the first record.
    public static let zeroHash = [UInt8](repeating: 0, count: 32)
    /// The domain as a field, the first bytes every record hash covers.
    private static let recordDomainField = field(Array(recordDomain.utf8))

    /// Encodes `event` as record `sequence` following `previousHash`; `details` is the
    /// canonical JSON of `event.details` when the caller has it already.
    package static func encode(
        _ event: AuditEvent, sequence: Int, previousHash: [UInt8], details: [UInt8]? = nil
    ) -> AuditRow {
        link(prepare(event, details: details), sequence: sequence, previousHash: previousHash)
    }

    /// A record before it is chained: everything of its row and canonical bytes but
    /// the two fields the chain link sets (`sequence`, first, and `previous_hash`,
    /// last), so that the log's single writer only links and hashes it.
    package struct Prepared: Sendable {
        /// The row, with its sequence, hashes and canonical bytes still to be set.
        var row: AuditRow
        /// Canonical fields 2 (time) to 12 (details), encoded.
        var body: [UInt8]
    }

    /// Encodes everything of `event`'s record that does not depend on its place in
    /// the chain; `details` is the canonical JSON of `event.details` when the caller
    /// has it already.
    package static func prepare(_ event: AuditEvent, details: [UInt8]? = nil) -> Prepared {
        let micros = microseconds(event.time)
        let detailBytes = details ?? canonicalJSON(event.details)
        let texts = [event.actor, event.decisionID, event.taskID, event.agent, event.user, event.resource, event.action]
        var size = 12 + 4 + event.kind.rawValue.utf8.count + 4 + (event.outcome?.rawValue.utf8.count ?? 0) + 4 + detailBytes.count
        for text in texts { size += 4 + (text?.utf8.count ?? 0) }
        var body: [UInt8] = []
        body.reserveCapacity(size)
        appendInteger(micros, to: &body)
        appendText(event.kind.rawValue, to: &body)
        for text in texts { appendText(text, to: &body) }
        appendText(event.outcome?.rawValue, to: &body)
        appendField(detailBytes, to: &body)
        let row = AuditRow(
            sequence: 0, kind: event.kind.rawValue, timeMicros: micros, actor: event.actor,
            decisionID: event.decisionID, taskID: event.taskID, agent: event.agent, user: event.user,
            resource: event.resource, action: event.action, outcome: event.outcome?.rawValue,
            previousHash: [], hash: [], canonical: [])
        return Prepared(row: row, body: body)
    }

    /// The prepared record as record `sequence` following `previousHash`: its
    /// canonical bytes and hash.
    package static func link(_ prepared: Prepared, sequence: Int, previousHash: [UInt8]) -> AuditRow {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(12 + prepared.body.count + 4 + previousHash.count)
        appendInteger(Int64(sequence), to: &bytes)
        bytes.append(contentsOf: prepared.body)
        appendField(previousHash, to: &bytes)
        var row = prepared.row
        row.sequence = sequence
        row.previousHash = previousHash
        row.hash = hash(canonical: bytes)
        row.canonical = bytes
        return row
    }

    /// SHA-256 over the record domain and `canonical`.
    public static func hash(canonical: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: recordDomainField)
        hasher.update(data: canonical)
        return Array(hasher.finalize())
    }

    /// `date` as whole microseconds since 1970-01-01T00:00:00Z, rounded to the nearest;
    /// dates outside ±292,000 years are clamped.
    public static func microseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard value.isFinite else { return value > 0 ? .max : .min }
        if value >= 9.2e18 { return .max }
        if value <= -9.2e18 { return .min }
        return Int64(value)
    }

    /// The date `microseconds` denotes.
    public static func date(microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    /// The canonical JSON text of `value`: object members sorted by their keys' UTF-8
    /// bytes (Unicode scalar order), no whitespace, strings escaped only where RFC 8259
    /// requires (quote, backslash, `\b \f \n \r \t`, other controls as `\u00xx`,
    /// lowercase hex), numbers as their text.
    package static func canonicalJSON(_ value: JSON) -> [UInt8] {
        value.encodedBytes(sortingMembers: true)
    }

    /// The canonical JSON of `details`, or nil when it would not read back as the same
    /// canonical JSON (nested deeper than the reader's limit, a key twice in one
    /// object): such an event cannot be recorded verifiably.
    ///
    /// Checking the tree suffices, without reading the bytes back, because the
    /// canonical writer is idempotent on whatever the reader accepts: the writer puts
    /// every string's scalars out as they are (escaping only what the reader unescapes
    /// to the same scalars), every number as its text (which is the JSON number
    /// grammar's, as `JSONNumber` is only made from an integer or by the reader), and
    /// members in key order. So the reader accepts the bytes exactly when the tree has
    /// no key twice in one object (by scalars, as the reader compares keys), nests no
    /// deeper than the reader's limit and writes no more bytes than its limit — and
    /// then reads back the same tree with members in key order, and writing that again
    /// gives the same bytes, which is what verification checks
    /// (`AuditCanonicalPropertyTests` checks it over thousands of generated trees).
    package static func verifiableDetails(_ details: JSON) -> [UInt8]? {
        guard readsBack(details, containers: 0) else { return nil }
        let bytes = canonicalJSON(details)
        guard bytes.count <= JSONLimits.default.maxBytes else { return nil }
        return bytes
    }

    /// Whether the reader, with its default limits, reads `value`'s canonical JSON —
    /// `value` being inside `containers` arrays and objects — without finding a key
    /// twice or nesting too deep.
    private static func readsBack(_ value: JSON, containers: Int) -> Bool {
        switch value {
        case .array(let elements):
            guard containers < JSONLimits.default.maxDepth else { return false }
            return elements.allSatisfy { readsBack($0, containers: containers + 1) }
        case .object(let object):
            guard containers < JSONLimits.default.maxDepth, keysDiffer(object.members) else { return false }
            return object.members.allSatisfy { readsBack($0.value, containers: containers + 1) }
        case .null, .bool, .number, .string:
            return true
        }
    }

    /// Whether no two of `members` have the same key, scalar for scalar (the same
    /// UTF-8 bytes).
    private static func keysDiffer(_ members: [(key: String, value: JSON)]) -> Bool {
        if members.count <= 8 {
            for later in members.indices.dropFirst() {
                for earlier in 0..<later where members[earlier].key.scalarsEqual(members[later].key) { return false }
            }
            return true
        }
        var seen: Set<[UInt8]> = []
        seen.reserveCapacity(members.count)
        return members.allSatisfy { seen.insert(Array($0.key.utf8)).inserted }
    }

    // MARK: - Fields

    /// One field: its length as 4 bytes big-endian, then its bytes.
    package static func field(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        appendField(bytes, to: &out)
        return out
    }

    static func appendField(_ bytes: [UInt8]?, to out: inout [UInt8]) {
        guard let bytes else { return appendLength(0xFFFF_FFFF, to: &out) }
        appendLength(UInt32(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }

    /// A text field, or the absent field for nil.
    static func appendText(_ text: String?, to out: inout [UInt8]) {
        guard let text else { return appendLength(0xFFFF_FFFF, to: &out) }
        appendLength(UInt32(text.utf8.count), to: &out)
        out.append(contentsOf: text.utf8)
    }

    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        appendLength(8, to: &out)
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    private static func appendLength(_ count: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: count >> 24))
        out.append(UInt8(truncatingIfNeeded: count >> 16))
        out.append(UInt8(truncatingIfNeeded: count >> 8))
        out.append(UInt8(truncatingIfNeeded: count))
    }

    // MARK: - Decoding

    /// What a record's canonical bytes hold.
    package struct Decoded: Sendable {
        package var sequence: Int
        package var event: AuditEvent
        package var row: AuditRow
        package var previousHash: [UInt8]
    }

    /// Why canonical bytes are not a record.
    package struct DecodeError: Error, Sendable {
        package var reason: String
    }

    /// Reads canonical bytes back, strictly: exactly the fields of the format, known
    /// kind and outcome, UTF-8 text, details in canonical JSON, a 32-byte previous hash,
    /// nothing after.
    package static func decode(_ bytes: [UInt8]) throws(DecodeError) -> Decoded {
        var reader = FieldReader(bytes: bytes)
        let sequence = try reader.integer("sequence")
        let micros = try reader.integer("time")
        let kindText = try reader.text("kind")
        guard let kindText, let kind = AuditEventKind(rawValue: kindText) else {
            throw DecodeError(reason: "the kind is not a known event kind")
        }
        let actor = try reader.text("actor")
        let decisionID = try reader.text("decision_id")
        let taskID = try reader.text("task_id")
        let agent = try reader.text("agent")
        let user = try reader.text("user")
        let resource = try reader.text("resource")
        let action = try reader.text("action")
        let outcomeText = try reader.text("outcome")
        var outcome: AuditOutcome?
        if let outcomeText {
            guard let known = AuditOutcome(rawValue: outcomeText) else {
                throw DecodeError(reason: "the outcome is not allow, deny or ask")
            }
            outcome = known
        }
        guard let detailBytes = try reader.field("details") else { throw DecodeError(reason: "the details are absent") }
        let details: JSON
        do {
            details = try JSON.parse(detailBytes)
        } catch {
            throw DecodeError(reason: "the details are not JSON: \(error.message)")
        }
        guard canonicalJSON(details) == detailBytes else {
            throw DecodeError(reason: "the details are not canonical JSON")
        }
        guard let previousHash = try reader.field("previous_hash"), previousHash.count == 32 else {
            throw DecodeError(reason: "the previous hash is not 32 bytes")
        }
        guard reader.atEnd else { throw DecodeError(reason: "bytes follow the last field") }
        guard sequence >= 1, sequence <= Int64(Int.max) else { throw DecodeError(reason: "the sequence is not positive") }
        let event = AuditEvent(
            kind: kind, time: date(microseconds: micros), actor: actor, decisionID: decisionID, taskID: taskID,
            agent: agent, user: user, resource: resource, action: action, outcome: outcome, details: details)
        let row = AuditRow(
            sequence: Int(sequence), kind: kindText, timeMicros: micros, actor: actor, decisionID: decisionID,
            taskID: taskID, agent: agent, user: user, resource: resource, action: action, outcome: outcomeText,
            previousHash: previousHash, hash: hash(canonical: bytes), canonical: bytes)
        return Decoded(sequence: Int(sequence), event: event, row: row, previousHash: previousHash)
    }

    private struct FieldReader {
        let bytes: [UInt8]
        var position = 0

        var atEnd: Bool { position == bytes.count }

        mutating func field(_ name: String) throws(DecodeError) -> [UInt8]? {
            guard bytes.count - position >= 4 else { throw DecodeError(reason: "the bytes end before `\(name)`") }
            let length = bytes[position..<position + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            position += 4
            if length == 0xFFFF_FFFF { return nil }
            guard bytes.count - position >= Int(length) else {
                throw DecodeError(reason: "the bytes end inside `\(name)`")
            }
            defer { position += Int(length) }
            return Array(bytes[position..<position + Int(length)])
        }

        mutating func integer(_ name: String) throws(DecodeError) -> Int64 {
            guard let value = try field(name), value.count == 8 else {
                throw DecodeError(reason: "`\(name)` is not an 8-byte integer")
            }
            return Int64(bitPattern: value.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }

        mutating func text(_ name: String) throws(DecodeError) -> String? {
            guard let value = try field(name) else { return nil }
            guard let text = String(validating: value, as: UTF8.self) else {
                throw DecodeError(reason: "`\(name)` is not UTF-8")
            }
            return text
        }
    }
}

extension [UInt8] {
    /// Lowercase hexadecimal.
    package var auditHex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes lowercase or uppercase hexadecimal `text` denotes, or nil.
    package init?(auditHex text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let high = nibble(utf8[i]), let low = nibble(utf8[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        self = out
    }
}
