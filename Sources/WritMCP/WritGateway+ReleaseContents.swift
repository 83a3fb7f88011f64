import Foundation
import MCP
import WritCore

/// Resource contents through the `release` checkpoint, as tool results
/// (docs/GATEWAY.md, "Releasing results"): with `Configuration.releaseDestination`,
/// what `resources/read` gives reaches the agent only when Writ allows releasing it to
/// that `Writ::Destination`, with the redactions the allow carries applied.
///
/// Redactions apply to text contents: `redact_text` to the text, and — when the
/// content's MIME type is JSON (`application/json`, `…+json`) — `redact_fields` to its
/// members. Binary contents, or fields in text that is not JSON, cannot be redacted:
/// the contents are withheld (a PEP must not allow what it cannot fulfil).
extension WritGateway {
    /// `contents` of `uri`, released to the configured destination: unchanged,
    /// redacted, or withheld with a -32001 error. Without a destination, `contents`
    /// unchanged.
    func released(_ contents: [Resource.Content], resource uri: String) async throws -> [Resource.Content] {
        try await release(contents, subject: "the release of `\(uri)`") {
            contents.reduce(0) { total, content in
                total + (content.text?.utf8.count ?? 0) + (content.blob.map { Data(base64Encoded: $0)?.count ?? $0.utf8.count } ?? 0)
            }
        } redacting: { redactions throws(WritError) in
            try contents.map { content throws(WritError) in try Self.redacting(content, with: redactions) }
        }
    }

    /// One content with `redactions` applied; `.invalidRequest` when they cannot be.
    static func redacting(_ content: Resource.Content, with redactions: [Redaction]) throws(WritError) -> Resource.Content {
        guard !redactions.isEmpty else { return content }
        guard let text = content.text, content.blob == nil else {
            throw WritError(.invalidRequest, "binary contents of `\(content.uri)` cannot be redacted")
        }
        let redacted: String
        if isJSON(content.mimeType) {
            redacted = String(decoding: try Redaction.apply(redactions, toJSON: Array(text.utf8)), as: UTF8.self)
        } else if redactions.contains(where: { !$0.fields.isEmpty }) {
            throw WritError(.invalidRequest, "fields cannot be redacted from `\(content.uri)`, which is not JSON")
        } else {
            redacted = try Redaction.apply(redactions, toText: text)
        }
        return .text(redacted, uri: content.uri, mimeType: content.mimeType, _meta: content._meta)
    }

    /// Whether `mimeType` names JSON: `application/json` or a `+json` type, parameters aside.
    static func isJSON(_ mimeType: String?) -> Bool {
        guard let mimeType else { return false }
        let essence = mimeType.split(separator: ";", maxSplits: 1)[0].trimmingCharacters(in: .whitespaces).lowercased()
        return essence == "application/json" || (essence.hasPrefix("application/") && essence.hasSuffix("+json"))
    }
}
