import Cedar
import HTTPTypes
import Hummingbird
import NIOCore
import WritCore

/// A refusal that needs more than a status and a JSON body: a 401 with its
/// `WWW-Authenticate` challenge, or a 413 that closes the connection.
struct HTTPRefusal: Error {
    let response: Response

    /// 401: no credentials, or credentials that are not a valid key. The challenge
    /// says `error="invalid_token"` when a token was presented (RFC 6750 §3).
    static func unauthenticated(_ message: String, tokenPresented: Bool) -> HTTPRefusal {
        var response = WritError(.unauthenticated, message).response
        response.headers[.wwwAuthenticate] =
            tokenPresented ? #"Bearer realm="writ", error="invalid_token""# : #"Bearer realm="writ""#
        return HTTPRefusal(response: response)
    }

    /// 413 for a body over `limit` bytes. The response says `Connection: close`; once
    /// it is written, up to `lingerBytes` more of the body are read and dropped (so a
    /// client still sending is not reset before it reads the answer) and the
    /// connection is closed. Nothing past the limit is ever kept.
    static func bodyTooLarge(
        _ message: String, remaining body: PendingRequestBody, channel: any Channel, lingerBytes: Int
    ) -> HTTPRefusal {
        let error = WritError(.tooLarge, message)
        let bytes = error.jsonBody.encodedBytes()
        let responseBody = ResponseBody(contentLength: bytes.count) { writer in
            try await writer.write(ByteBuffer(bytes: bytes))
            try await writer.finish(nil)
            await body.discard(upTo: lingerBytes)
            channel.close(promise: nil)
        }
        return HTTPRefusal(response: Response(
            status: .contentTooLarge, headers: [.contentType: "application/json", .connection: "close"],
            body: responseBody))
    }
}

/// A request body being read: the one iterator Hummingbird allows per request, kept
/// so that a refusal can drop what is left after its response is written. Used by
/// one task at a time: the route reads, then the response writer drains.
final class PendingRequestBody: @unchecked Sendable {
    private var iterator: RequestBody.AsyncIterator

    init(_ body: RequestBody) {
        iterator = body.makeAsyncIterator()
    }

    /// The next chunk, or nil at the end of the body.
    func next() async throws -> ByteBuffer? {
        try await iterator.next()
    }

    /// Reads and drops up to `limit` bytes, stopping early at the end of the body or
    /// on a read error.
    func discard(upTo limit: Int) async {
        var dropped = 0
        while dropped < limit, let chunk = try? await iterator.next() {
            dropped += chunk.readableBytes
        }
    }
}
