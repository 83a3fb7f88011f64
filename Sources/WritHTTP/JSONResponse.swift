import Cedar
import HTTPTypes
import Hummingbird

/// Building responses with a JSON body.
enum JSONResponse {
    /// `value` as an `application/json` response with `status`.
    static func make(_ value: JSON, status: HTTPResponse.Status = .ok) -> Response {
        make(bytes: value.encodedBytes(), status: status)
    }

    /// UTF-8 JSON `bytes` as an `application/json` response with `status`.
    static func make(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `text` with its media type (`text/plain; charset=utf-8` and the like).
    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension JSON {
    /// A JSON integer.
    static func integer(_ value: Int) -> JSON { .number(JSONNumber(Int64(value))) }

    /// An object from members in order; the keys must be distinct.
    static func members(_ members: [(key: String, value: JSON)]) -> JSON {
        .object(JSONObject(uniqueMembers: members))
    }
}
