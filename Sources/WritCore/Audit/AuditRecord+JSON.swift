import Cedar
import Foundation

extension AuditRecord {
    /// The record as one JSON object (`writ audit export`, `GET /v1/audit`): absent
    /// fields omitted, the time in RFC 3339 UTC with six fractional digits, hashes in
    /// lowercase hex.
    package var json: JSON {
        var object = JSONObject()
        object.append("sequence", .number(JSONNumber(Int64(sequence))))
        object.append("time", .string(AuditTime.format(micros: AuditCanonical.microseconds(event.time))))
        object.append("kind", .string(event.kind.rawValue))
        let texts: [(String, String?)] = [
            ("actor", event.actor), ("decision_id", event.decisionID), ("task_id", event.taskID),
            ("agent", event.agent), ("user", event.user), ("resource", event.resource), ("action", event.action),
            ("outcome", event.outcome?.rawValue),
        ]
        for (key, value) in texts {
            if let value { object.append(key, .string(value)) }
        }
        object.append("details", event.details)
        object.append("previous_hash", .string(previousHash.auditHex))
        object.append("hash", .string(hash.auditHex))
        return .object(object)
    }

    /// `json` as compact JSON text on one line.
    public var jsonLine: String { json.encoded(pretty: false) }
}

extension AuditQuery {
    /// The query parameters `GET /v1/audit` and `writ audit query` take.
    public static let parameterNames = [
        "task", "agent", "user", "resource", "action", "actor", "decision", "outcome", "kind", "since", "until",
        "after", "limit", "order",
    ]

    /// A query from named parameters (each at most once), checked: text without
    /// control characters and at most 1,000 characters, `outcome` allow/deny/ask,
    /// `kind` an event kind, `since`/`until` RFC 3339, `after` a sequence, `limit`
    /// 1–1000 (default 100), `order` newest (default) or oldest.
    /// - Throws: `.invalidRequest` naming the parameter.
    public init(parameters: [(name: String, value: String)]) throws(WritError) {
        self.init()
        var seen: Set<String> = []
        for (name, value) in parameters {
            guard Self.parameterNames.contains(name) else {
                throw WritError(
                    .invalidRequest,
                    "unknown audit query parameter `\(name.prefix(100))`; the parameters are "
                        + Self.parameterNames.joined(separator: ", "))
            }
            guard seen.insert(name).inserted else {
                throw WritError(.invalidRequest, "the audit query parameter `\(name)` is given more than once")
            }
            try set(name, value)
        }
    }

    private mutating func set(_ name: String, _ value: String) throws(WritError) {
        func bad(_ what: String) -> WritError {
            WritError(.invalidRequest, "the audit query parameter `\(name)` must be \(what)")
        }
        func text() throws(WritError) -> String {
            guard !value.isEmpty, value.unicodeScalars.count <= 1000,
                !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else { throw bad("1 to 1000 characters without control characters") }
            return value
        }
        func date() throws(WritError) -> Date {
            guard let date = AuditTime.parse(value) else { throw bad("an RFC 3339 date-time, like 2026-12-01T09:30:00Z") }
            return date
        }
        switch name {
        case "task": taskID = try text()
        case "agent": agent = try text()
        case "user": user = try text()
        case "resource": resource = try text()
        case "action": action = try text()
        case "actor": actor = try text()
        case "decision": decisionID = try text()
        case "outcome":
            guard let known = AuditOutcome(rawValue: value) else { throw bad("allow, deny or ask") }
            outcome = known
        case "kind":
            guard let known = AuditEventKind(rawValue: value) else {
                throw bad("one of " + AuditEventKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            kind = known
        case "since": since = try date()
        case "until": until = try date()
        case "after":
            guard value.utf8.count <= 18, let sequence = Int(value), sequence >= 0 else { throw bad("a record sequence, 0 or more") }
            after = sequence
        case "limit":
            guard value.utf8.count <= 4, let number = Int(value), (1...Self.maxLimit).contains(number) else {
                throw bad("a number from 1 to \(Self.maxLimit)")
            }
            limit = number
        default:  // "order"
            switch value {
            case "newest": newestFirst = true
            case "oldest": newestFirst = false
            default: throw bad("newest or oldest")
            }
        }
    }
}
