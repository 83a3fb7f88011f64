import HTTPTypes
import Hummingbird
import WritCore

/// Reads a request body into memory, never more than a limit: a declared
/// `Content-Length` over the limit is refused before any of the body is read, and a
/// body that turns out longer than declared, or a chunked body that keeps going, is
/// refused as soon as it passes the limit.
enum RequestBodyReader {
    /// The body, at most `limit` bytes; throws `HTTPRefusal.bodyTooLarge` (413) past it.
    static func read(_ request: Request, context: WritRequestContext, limit: Int) async throws -> [UInt8] {
        let body = PendingRequestBody(request.body)
        let linger = max(limit, 64 << 10)
        var declared: Int?
        if let header = request.headers[.contentLength] {
            guard let length = Int(header), length >= 0 else {
                throw WritError(.invalidRequest, "Content-Length `\(header.boundedForMessage)` is not a byte count")
            }
            guard length <= limit else {
                throw HTTPRefusal.bodyTooLarge(
                    "the body is \(length) bytes; this route takes at most \(limit)",
                    remaining: body, channel: context.channel, lingerBytes: linger)
            }
            declared = length
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(declared ?? min(limit, 16 << 10))
        while let chunk = try await body.next() {
            guard bytes.count + chunk.readableBytes <= limit else {
                throw HTTPRefusal.bodyTooLarge(
                    "the body is longer than \(limit) bytes, the most this route takes",
                    remaining: body, channel: context.channel, lingerBytes: linger)
            }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }
}
