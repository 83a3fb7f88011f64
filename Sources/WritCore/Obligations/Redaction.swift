import Cedar

/// What a permit policy asks the enforcing point to remove from output before it
/// releases it: JSON fields and text patterns. Declared by annotations on the
/// policy, returned as an obligation with every decision that policy allows, and
/// applied with `Redaction.apply(_:toJSON:)` or `Redaction.apply(_:toText:)`.
///
/// ```cedar
/// @id("release-tickets-without-pii")
/// @redact_fields("customer.email, customer.phone, *.ssn")
/// @redact_text("\\d{3}-\\d{2}-\\d{4}")
/// permit (principal, action == Writ::Action::"release", resource)
/// when { context.output.labels.contains("pii") };
/// ```
///
/// `redact_fields` lists field paths separated by commas: member names joined by `.`,
/// `*` standing for any member; arrays are walked through, so `cards.number` is the
/// `number` of every element of `cards`. A redacted field keeps its place, its value
/// replaced by `"[REDACTED]"`. `redact_text` is one `RedactionPattern` (in a Cedar
/// string, so `\d` is written `\\d`); every match in every string of the output — or
/// in plain-text output — is replaced by `[REDACTED]`.
public struct Redaction: Sendable, Equatable {
    /// The annotation listing field paths.
    public static let fieldsAnnotation = "redact_fields"
    /// The annotation holding a text pattern.
    public static let textAnnotation = "redact_text"
    /// What replaces a redacted value or match.
    public static let replacement = "[REDACTED]"
    /// The most field paths one policy may list.
    public static let maxFields = 64

    /// The policy that asks for it.
    public var policyID: String
    /// The field paths to redact, each a list of member names (`*`: any).
    public var fields: [[String]]
    /// The text pattern to redact, if any.
    public var pattern: RedactionPattern?

    public init(policyID: String, fields: [[String]], pattern: RedactionPattern?) {
        self.policyID = policyID
        self.fields = fields
        self.pattern = pattern
    }

    /// The field paths as written: `customer.email`.
    public var fieldPaths: [String] { fields.map { $0.joined(separator: ".") } }

    /// The redaction `policy`'s annotations declare; nil when it declares none.
    /// - Throws: `.invalidPolicySet` naming the annotation and what is wrong with it.
    static func declared(by policy: Policy) throws(WritError) -> Redaction? {
        let fieldsText = policy.annotation(fieldsAnnotation)
        let patternText = policy.annotation(textAnnotation)
        guard fieldsText != nil || patternText != nil else { return nil }
        guard policy.effect == .permit else {
            throw WritError(
                .invalidPolicySet,
                "`@\(fieldsText != nil ? fieldsAnnotation : textAnnotation)` is only meaningful on a permit policy; "
                    + "a forbid releases nothing")
        }
        var fields: [[String]] = []
        if let fieldsText {
            fields = try parseFields(fieldsText)
        }
        var pattern: RedactionPattern?
        if let patternText {
            do {
                pattern = try RedactionPattern(patternText)
            } catch {
                throw WritError(.invalidPolicySet, "`@\(textAnnotation)(\"…\")`, \(error)")
            }
        }
        return Redaction(policyID: policy.id, fields: fields, pattern: pattern)
    }

    private static func parseFields(_ text: String) throws(WritError) -> [[String]] {
        let paths = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
        guard paths.count <= maxFields else {
            throw WritError(.invalidPolicySet, "`@\(fieldsAnnotation)` lists \(paths.count) paths; at most \(maxFields) are allowed")
        }
        var parsed: [[String]] = []
        for path in paths {
            let names = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !path.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
                throw WritError(
                    .invalidPolicySet,
                    "`@\(fieldsAnnotation)` holds the path `\(path.count > 64 ? path.prefix(64) + "…" : path)`; write member names joined by `.`, "
                        + "paths separated by `,`")
            }
            parsed.append(names)
        }
        return parsed
    }

    // MARK: - Applying

    /// `text`, plain-text output, with the matches of every redaction's pattern
    /// replaced.
    /// - Throws: `.redactionFailed` when a pattern could not be searched to the end;
    ///   the output must then not be released.
    public static func apply(_ redactions: [Redaction], toText text: String) throws(WritError) -> String {
        var result = text
        for pattern in redactions.compactMap(\.pattern) {
            do {
                result = try pattern.redact(result, with: replacement)
            } catch {
                throw WritError(.redactionFailed, error.description)
            }
        }
        return result
    }

    /// `json`, JSON output, with every redaction's fields and pattern matches (in any
    /// string value) replaced; the result is compact JSON with members in their
    /// original order.
    /// - Throws: `.invalidJSON` (and its kin) when `json` is not JSON; `.redactionFailed`
    ///   when a pattern could not be searched to the end. Either way the output must
    ///   not be released.
    public static func apply(
        _ redactions: [Redaction], toJSON json: [UInt8], limits: JSONLimits = .default
    ) throws(WritError) -> [UInt8] {
        var document: JSON
        do {
            document = try JSON.parse(json, limits: limits)
        } catch {
            throw WritError.fromJSON(error, what: "output")
        }
        for redaction in redactions {
            for path in redaction.fields { document = redactField(document, path[...]) }
        }
        let patterns = redactions.compactMap(\.pattern)
        if !patterns.isEmpty { document = try redactStrings(document, patterns) }
        return document.encodedBytes()
    }

    private static func redactField(_ value: JSON, _ path: ArraySlice<String>) -> JSON {
        guard let name = path.first else { return .string(replacement) }
        switch value {
        case .array(let elements):
            return .array(elements.map { redactField($0, path) })
        case .object(let object):
            let rest = path.dropFirst()
            return .object(JSONObject(uniqueMembers: object.members.map { member in
                guard name == "*" || name.scalarsEqual(member.key) else { return member }
                return (key: member.key, value: redactField(member.value, rest))
            }))
        default:
            return value
        }
    }

    private static func redactStrings(_ value: JSON, _ patterns: [RedactionPattern]) throws(WritError) -> JSON {
        switch value {
        case .string(let text):
            var result = text
            for pattern in patterns {
                do {
                    result = try pattern.redact(result, with: replacement)
                } catch {
                    throw WritError(.redactionFailed, error.description)
                }
            }
            return .string(result)
        case .array(let elements):
            var redacted: [JSON] = []
            redacted.reserveCapacity(elements.count)
            for element in elements { redacted.append(try redactStrings(element, patterns)) }
            return .array(redacted)
        case .object(let object):
            var members: [(key: String, value: JSON)] = []
            members.reserveCapacity(object.members.count)
            for member in object.members { members.append((key: member.key, value: try redactStrings(member.value, patterns))) }
            return .object(JSONObject(uniqueMembers: members))
        default:
            return value
        }
    }

    // MARK: - As an AuthZEN obligation

    /// The obligation object a decision carries for this redaction, shaped after the
    /// AuthZEN Obligations Profile: `{"id", "type": "custom", "properties": {"vendor":
    /// "writ", "action": "redact", "policy", "fields", "text_pattern"}}`.
    func obligation(id: String) -> JSON {
        var properties: [(key: String, value: JSON)] = [
            (key: "vendor", value: .string("writ")),
            (key: "action", value: .string("redact")),
            (key: "policy", value: .string(policyID)),
            (key: "replacement", value: .string(Self.replacement)),
        ]
        if !fields.isEmpty { properties.append((key: "fields", value: .array(fieldPaths.map { .string($0) }))) }
        if let pattern { properties.append((key: "text_pattern", value: .string(pattern.source))) }
        return .object(JSONObject(uniqueMembers: [
            (key: "id", value: .string(id)),
            (key: "type", value: .string("custom")),
            (key: "properties", value: .object(JSONObject(uniqueMembers: properties))),
        ]))
    }
}
