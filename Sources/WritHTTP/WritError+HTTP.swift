import Cedar
import HTTPTypes
import Hummingbird
import WritCore

/// The one place a `WritError` code becomes an HTTP status. Bad input is always a 4xx;
/// only the service's own state (not ready, the store failing) is a 5xx.
extension WritError.Code {
    private static let statuses: [WritError.Code: HTTPResponse.Status] = [
        .invalidRequest: .badRequest,
        .missingField: .badRequest,
        .wrongType: .badRequest,
        .duplicateKey: .badRequest,
        .tooDeep: .badRequest,
        .invalidIdentifier: .badRequest,
        .invalidNumber: .badRequest,
        .invalidPageToken: .badRequest,
        .tooLarge: .contentTooLarge,
        .policyParseError: .unprocessableContent,
        .invalidPolicySet: .unprocessableContent,
        .policyValidationError: .unprocessableContent,
        .schemaError: .unprocessableContent,
        .invalidEntities: .unprocessableContent,
        .notFound: .notFound,
        .conflict: .conflict,
        .notReady: .serviceUnavailable,
        .storeUnavailable: .serviceUnavailable,
        .corruptState: .serviceUnavailable,
        .auditUnavailable: .serviceUnavailable,
        .redactionFailed: .unprocessableContent,
        .unauthenticated: .unauthorized,
        .forbidden: .forbidden,
        .unsupportedMediaType: .unsupportedMediaType,
        .methodNotAllowed: .methodNotAllowed,
    ]

    /// The HTTP status for this code. A code without an entry is a gap in this table
    /// and answers 500, which the tests check never happens for a known code.
    var httpStatus: HTTPResponse.Status { Self.statuses[self] ?? .internalServerError }

    /// Every code the table maps (for tests).
    static var mapped: [WritError.Code] { Array(statuses.keys) }

    // Codes only the HTTP layer produces.
    /// No valid credentials (HTTP 401).
    static let unauthenticated = WritError.Code(rawValue: "unauthenticated")
    /// Valid credentials without the scope this route needs (HTTP 403).
    static let forbidden = WritError.Code(rawValue: "forbidden")
    /// A request body in a media type the route does not take (HTTP 415).
    static let unsupportedMediaType = WritError.Code(rawValue: "unsupported_media_type")
    /// A known path with a method it does not serve (HTTP 405).
    static let methodNotAllowed = WritError.Code(rawValue: "method_not_allowed")
}

extension WritError {
    /// The JSON error body every route answers with:
    /// `{"error": {"code": …, "message": …, "details": [{"code", "message", "location"?, "policy_id"?}]}}`.
    var jsonBody: JSON {
        let details: [JSON] = details.map { detail in
            var members: [(key: String, value: JSON)] = [("code", .string(detail.code)), ("message", .string(detail.message))]
            if let location = detail.location {
                var place: [(key: String, value: JSON)] = []
                if let file = location.file { place.append(("file", .string(file))) }
                if let line = location.line { place.append(("line", .number(JSONNumber(Int64(line))))) }
                if let column = location.column { place.append(("column", .number(JSONNumber(Int64(column))))) }
                members.append(("location", .object(JSONObject(uniqueMembers: place))))
            }
            if let policyID = detail.policyID { members.append(("policy_id", .string(policyID))) }
            return .object(JSONObject(uniqueMembers: members))
        }
        return .object([
            "error": .object(JSONObject(uniqueMembers: [
                ("code", .string(code.rawValue)), ("message", .string(message)), ("details", .array(details)),
            ]))
        ])
    }

    /// This error as a response: its status and JSON body.
    var response: Response {
        JSONResponse.make(jsonBody, status: code.httpStatus)
    }
}
