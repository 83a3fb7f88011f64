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

    /// Encodes `event` as record `sequence` following `previousHash`; `details` is the
    /// canonical JSON of `event.details` when the caller has it already.
    package static func encode(
        _ event: AuditEvent, sequence: Int, previousHash: [UInt8], details: [UInt8]? = nil
    ) -> AuditRow {
        let micros = microseconds(event.time)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        appendInteger(Int64(sequence), to: &bytes)
        appendInteger(micros, to: &bytes)
        appendField(Array(event.kind.rawValue.utf8), to: &bytes)
        for text in [event.actor, event.decisionID, event.taskID, event.agent, event.user, event.resource, event.action] {
            appendField(text.map { Array($0.utf8) }, to: &bytes)
        }
        appendField(event.outcome.map { Array($0.rawValue.utf8) }, to: &bytes)
        appendField(details ?? canonicalJSON(event.details), to: &bytes)
        appendField(previousHash, to: &bytes)
        return AuditRow(
            sequence: sequence, kind: event.kind.rawValue, timeMicros: micros, actor: event.actor,
            decisionID: event.decisionID, taskID: event.taskID, agent: event.agent, user: event.user,
            resource: event.resource, action: event.action, outcome: event.outcome?.rawValue,
            previousHash: previousHash, hash: hash(canonical: bytes), canonical: bytes)
    }

    /// SHA-256 over the record domain and `canonical`.
    public static func hash(canonical: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: field(Array(recordDomain.utf8)))
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
    /// canonical JSON (nested deeper than the reader's limit, say): such an event
    /// cannot be recorded verifiably.
    package static func verifiableDetails(_ details: JSON) -> [UInt8]? {
        let bytes = canonicalJSON(details)
        guard let parsed = try? JSON.parse(bytes), canonicalJSON(parsed) == bytes else { return nil }
        return bytes
    }

    // MARK: - Fields

    /// One field: its length as 4 bytes big-endian, then its bytes.
    package static func field(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        appendField(bytes, to: &out)
        return out
    }

    static func appendField(_ bytes: [UInt8]?, to out: inout [UInt8]) {
        guard let bytes else {
            out.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
            return
        }
        let count = UInt32(bytes.count)
        out.append(contentsOf: [UInt8(count >> 24), UInt8((count >> 16) & 0xFF), UInt8((count >> 8) & 0xFF), UInt8(count & 0xFF)])
        out.append(contentsOf: bytes)
    }

    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        appendField(integerBytes(value), to: &out)
    }

    static func integerBytes(_ value: Int64) -> [UInt8] {
        let bits = UInt64(bitPattern: value)
        return (0..<8).map { UInt8((bits >> (56 - 8 * UInt64($0))) & 0xFF) }
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
