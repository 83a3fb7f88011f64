import Cedar
import Foundation
import HTTPTypes
import Hummingbird
import WritCore

/// Reading management request bodies: media type, size (the document limit), strict
/// JSON (no duplicate keys, bounded depth) and the members each route takes.
struct ManagementBody {
    let request: Request
    let context: WritRequestContext
    let limits: RequestLimits

    /// The body after checking its media type against `accepted`; returns which one it is.
    func read(accepting accepted: [String]) async throws -> (mediaType: String, bytes: [UInt8]) {
        let mediaType = try MediaTypeCheck.require(accepted, in: request)
        let bytes = try await RequestBodyReader.read(request, context: context, limit: limits.maxDocumentBytes)
        return (mediaType, bytes)
    }

    /// The body as a JSON document (`application/json` only).
    func json(_ what: String) async throws -> JSON {
        let (_, bytes) = try await read(accepting: ["application/json"])
        return try Self.parse(bytes, what, limits: limits)
    }

    /// Parses `bytes` as strict JSON; errors are 400 with the code of the problem.
    static func parse(_ bytes: [UInt8], _ what: String, limits: RequestLimits) throws(WritError) -> JSON {
        do {
            return try JSON.parse(bytes, limits: limits.documentJSON)
        } catch {
            throw WritError.fromJSON(error, what: what)
        }
    }

    /// Decodes a JSON document with `body`, turning its errors into 400s that say
    /// where in `what` the problem is.
    static func decode<T>(_ what: String, _ body: () throws(JSONError) -> T) throws(WritError) -> T {
        do {
            return try body()
        } catch {
            throw WritError.fromJSON(error, what: what)
        }
    }

    /// `bytes` as UTF-8 text, or a 400.
    static func text(_ bytes: [UInt8], _ what: String) throws(WritError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw WritError(.invalidRequest, "\(what) is not valid UTF-8")
        }
        return text
    }

    /// The optional `comment` and `expected_version` query parameters that text
    /// uploads take in place of JSON members.
    var changeOptions: (comment: String?, expectedVersion: Int?) {
        get throws(WritError) {
            let query = request.uri.queryParameters
            let comment = query["comment"].map(String.init)
            let expected = try query["expected_version"].map { value throws(WritError) in
                try Self.positiveInteger(String(value), "expected_version")
            }
            return (comment, expected)
        }
    }

    /// A positive integer parameter, or a 400 naming it.
    static func positiveInteger(_ text: String, _ name: String) throws(WritError) -> Int {
        guard let value = Int(text), value >= 1 else {
            throw WritError(.invalidRequest, "`\(name)` must be a positive integer, not `\(text.boundedForMessage)`")
        }
        return value
    }
}

extension JSON {
    /// This value as a positive integer that fits an `Int`.
    func asPositiveInteger() throws(JSONError) -> Int {
        guard case .number(let number) = self, let value = number.int64, value >= 1, let int = Int(exactly: value) else {
            throw .wrongType(expected: "a positive integer", found: self)
        }
        return int
    }
}
