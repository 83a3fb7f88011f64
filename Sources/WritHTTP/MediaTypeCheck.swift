import HTTPTypes
import Hummingbird
import WritCore

/// Checks a request's `Content-Type` against the media types a route takes.
enum MediaTypeCheck {
    /// The accepted media type (lowercase `type/subtype`) the request declares, or a
    /// 415 error naming what the route takes. Parameters other than `charset` are
    /// ignored; a charset other than UTF-8 is refused.
    static func require(_ accepted: [String], in request: Request) throws(WritError) -> String {
        var expected: String { accepted.map { "`\($0)`" }.joined(separator: " or ") }
        guard let header = request.headers[.contentType] else {
            throw WritError(.unsupportedMediaType, "send the body with Content-Type \(expected)")
        }
        // The common case, a bare media type as the route spells it, without parsing.
        if let exact = accepted.first(where: { $0.utf8.elementsEqual(header.utf8) }) { return exact }
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        let essence = parts[0].trimmingSpaces.lowercased()
        guard accepted.contains(essence) else {
            throw WritError(
                .unsupportedMediaType,
                "Content-Type `\(header.boundedForMessage)` is not accepted here; send \(expected)")
        }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingSpaces.lowercased() == "charset" else { continue }
            var value = pair[1].trimmingSpaces
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard value.lowercased() == "utf-8" else {
                throw WritError(.unsupportedMediaType, "charset `\(value.boundedForMessage)` is not accepted; send UTF-8")
            }
        }
        return essence
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
