import Foundation
import MCP
import WritCore

/// Tool results through the `release` checkpoint (docs/GATEWAY.md, "Releasing results"):
/// with `Configuration.releaseDestination`, an upstream's result reaches the agent
/// only when Writ allows releasing it to that `Writ::Destination`, with the
/// redactions the allow carries applied. An obligation the gateway cannot apply
/// (not a Writ redaction, fields on content that is not JSON, a pattern that cannot
/// be searched to its end) withholds the result: a PEP must not allow what it
/// cannot fulfil (AuthZEN Obligations Profile).
extension WritGateway {
    /// `result`, released to the configured destination: unchanged, redacted, or
    /// withheld with a -32001 error. Without a destination, `result` unchanged.
    func released(_ result: CallTool.Result, tool: String) async throws -> CallTool.Result {
        try await release(result, subject: "the release of the result of `\(tool)`") {
            var bytes = 0
            for case .text(let text, _, _) in result.content { bytes += text.utf8.count }
            if let structured = result.structuredContent { bytes += (try? JSONEncoder().encode(structured).count) ?? 0 }
            return bytes
        } redacting: { redactions throws(WritError) in
            try Self.redacting(result, with: redactions)
        }
    }

    /// `output` released to the configured destination (`bytes` of it, for the
    /// policy's `context.output.bytes`): unchanged when the allow carries no
    /// obligation, as `redacting` makes it when it carries redactions. A deny or an
    /// ask, an obligation that is not a Writ redaction, or redactions `redacting`
    /// cannot apply withhold it: a -32001 error naming `subject`.
    func release<Output>(
        _ output: Output, subject: String, bytes: () -> Int,
        redacting: ([Redaction]) throws(WritError) -> Output
    ) async throws -> Output {
        guard let destination = configuration.releaseDestination else { return output }
        let described: Value = ["labels": [], "bytes": .int(bytes())]
        let outcome = await decide { agent in
            try Self.evaluation(agent: agent, action: "release", resource: ("destination", destination), context: ["output": described])
        }
        switch outcome.decision {
        case .deny, .ask: throw GatewayRefusal.denied(outcome, subject: subject)
        case .allow: break
        }
        guard let obligations = outcome.obligations else { return output }
        do throws(WritError) {
            return try redacting(try Self.redactions(obligations))
        } catch {
            let reason = error.code == .redactionFailed ? "redaction_failed" : "obligations_unsupported"
            throw GatewayRefusal.denied(GatewayOutcome(decision: .deny, reason: reason, decisionID: outcome.decisionID), subject: subject)
        }
    }

    /// The Writ redactions of AuthZEN `context.obligations`; `.invalidRequest` for any
    /// obligation that is not one.
    static func redactions(_ obligations: [UInt8]) throws(WritError) -> [Redaction] {
        let unsupported = WritError(.invalidRequest, "an obligation the gateway cannot apply")
        guard let list = try? JSONSerialization.jsonObject(with: Data(obligations)) as? [Any] else { throw unsupported }
        var redactions: [Redaction] = []
        for entry in list {
            guard let object = entry as? [String: Any], object["type"] as? String == "custom",
                let properties = object["properties"] as? [String: Any], properties["vendor"] as? String == "writ",
                properties["action"] as? String == "redact",
                (properties["replacement"] as? String).map({ $0 == Redaction.replacement }) ?? true
            else { throw unsupported }
            let fields = properties["fields"].map { $0 as? [String] } ?? []
            guard let fields else { throw unsupported }
            var pattern: RedactionPattern?
            if let source = properties["text_pattern"] {
                guard let source = source as? String, let parsed = try? RedactionPattern(source) else { throw unsupported }
                pattern = parsed
            }
            redactions.append(Redaction(
                policyID: properties["policy"] as? String ?? "", fields: fields.map { $0.split(separator: ".").map(String.init) },
                pattern: pattern))
        }
        return redactions
    }

    /// `result` with `redactions` applied: patterns to every text content; fields and
    /// patterns to `structuredContent`. Content of another kind cannot be redacted, nor
    /// can fields be found in text: either is `.invalidRequest` (withheld).
    static func redacting(_ result: CallTool.Result, with redactions: [Redaction]) throws(WritError) -> CallTool.Result {
        guard !redactions.isEmpty else { return result }
        let hasFields = redactions.contains { !$0.fields.isEmpty }
        var content: [Tool.Content] = []
        for item in result.content {
            guard case .text(let text, let annotations, let meta) = item else {
                throw WritError(.invalidRequest, "a result holding content other than text cannot be redacted")
            }
            if hasFields, result.structuredContent == nil {
                throw WritError(.invalidRequest, "fields cannot be redacted from text")
            }
            content.append(.text(text: try Redaction.apply(redactions, toText: text), annotations: annotations, _meta: meta))
        }
        var structured = result.structuredContent
        if let value = structured {
            let encoded: Data
            do { encoded = try JSONEncoder().encode(value) } catch { throw WritError(.invalidRequest, "\(error)") }
            let redacted = try Redaction.apply(redactions, toJSON: Array(encoded))
            do { structured = try JSONDecoder().decode(Value.self, from: Data(redacted)) } catch { throw WritError(.invalidRequest, "\(error)") }
        }
        return CallTool.Result(content: content, structuredContent: structured, isError: result.isError, _meta: result._meta)
    }
}
