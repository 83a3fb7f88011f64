import Cedar
import HTTPTypes
import Hummingbird
import WritCore

extension WritServer {
    /// `/v1/policies`: the active policy set, replacing it, its history and rollback.
    /// Every route needs the `manage` scope.
    func policyRoutes() -> [Route] {
        [
            Route(.get, "/v1/policies", scope: .manage) { _, _ in
                guard let record = try await service.store.latestPolicySet() else {
                    throw WritError(.notFound, "no policy set has been stored yet: PUT /v1/policies")
                }
                return JSONResponse.make(record.json)
            },
            Route(.put, "/v1/policies", scope: .manage) { request, context in
                let upload = try await policyUpload(ManagementBody(request: request, context: context, limits: limits))
                let record = try await service.replacePolicies(
                    upload.files, author: context.author, comment: upload.comment, expectedVersion: upload.expectedVersion)
                return JSONResponse.make(record.summary.json)
            },
            Route(.get, "/v1/policies/versions", scope: .manage) { request, _ in
                try await history(request)
            },
            Route(.get, "/v1/policies/versions/:version", scope: .manage) { _, context in
                let text = context.parameters.get("version") ?? ""
                let version = try ManagementBody.positiveInteger(text, "version")
                guard let record = try await service.store.policySet(version: version) else {
                    throw WritError(.notFound, "policy set version \(version) does not exist")
                }
                return JSONResponse.make(record.json)
            },
            Route(.post, "/v1/policies/rollback", scope: .manage) { request, context in
                let body = try await ManagementBody(request: request, context: context, limits: limits).json("rollback request")
                let (version, comment) = try ManagementBody.decode("rollback request") { () throws(JSONError) in
                    let object = try body.asObject()
                    try object.rejectUnknownKeys(allowed: ["version", "comment"])
                    return (
                        try object.decode("version") { v throws(JSONError) in try v.asPositiveInteger() },
                        try object.decodeIfPresent("comment") { c throws(JSONError) in try c.asString() }
                    )
                }
                let record = try await service.rollback(to: version, author: context.author, comment: comment)
                return JSONResponse.make(record.summary.json)
            },
        ]
    }

    var limits: RequestLimits { service.configuration.limits }

    /// A policy upload: `{"files": [{"name", "text"}], "comment"?, "expected_version"?}`
    /// as JSON, or Cedar text (`text/plain`) as one file named `policies.cedar`.
    private func policyUpload(_ body: ManagementBody) async throws -> (files: [SourceFile], comment: String?, expectedVersion: Int?) {
        let (mediaType, bytes) = try await body.read(accepting: ["application/json", "text/plain"])
        if mediaType == "text/plain" {
            let text = try ManagementBody.text(bytes, "the policy text")
            let options = try body.changeOptions
            return ([SourceFile(name: "policies.cedar", text: text)], options.comment, options.expectedVersion)
        }
        let json = try ManagementBody.parse(bytes, "policy upload", limits: limits)
        let upload = try ManagementBody.decode("policy upload") { () throws(JSONError) in
            let object = try json.asObject()
            try object.rejectUnknownKeys(allowed: ["files", "comment", "expected_version"])
            let files = try object.decode("files") { files throws(JSONError) in
                try files.decodeElements { file throws(JSONError) in
                    let member = try file.asObject()
                    try member.rejectUnknownKeys(allowed: ["name", "text"])
                    return SourceFile(name: try member.decodeString("name"), text: try member.decodeString("text"))
                }
            }
            return (
                files,
                try object.decodeIfPresent("comment") { c throws(JSONError) in try c.asString() },
                try object.decodeIfPresent("expected_version") { v throws(JSONError) in try v.asPositiveInteger() }
            )
        }
        try Self.checkFileNames(upload.0.map(\.name))
        return upload
    }

    /// File names appear in error locations: they must be non-empty, distinct, at most
    /// 255 bytes, and free of control characters.
    static func checkFileNames(_ names: [String]) throws(WritError) {
        var seen: Set<String> = []
        for name in names {
            guard !name.isEmpty, name.utf8.count <= 255,
                  !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else {
                throw WritError(.invalidRequest, "policy file name `\(name.boundedForMessage)` must be 1 to 255 bytes without control characters")
            }
            guard seen.insert(name).inserted else {
                throw WritError(.invalidRequest, "policy file name `\(name)` appears twice")
            }
        }
    }

    /// `GET /v1/policies/versions?before=N&limit=M`: summaries, newest first.
    private func history(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let limit = try query["limit"].map { v throws(WritError) in try ManagementBody.positiveInteger(String(v), "limit") } ?? 50
        guard limit <= 1_000 else { throw WritError(.invalidRequest, "`limit` must be at most 1000, not \(limit)") }
        let before = try query["before"].map { v throws(WritError) in try ManagementBody.positiveInteger(String(v), "before") }
        let versions = try await service.store.policySetHistory(limit: limit, before: before)
        var members: [(key: String, value: JSON)] = [("versions", .array(versions.map(\.json)))]
        if versions.count == limit, let last = versions.last, last.version > 1 {
            members.append(("next_before", .integer(last.version)))
        }
        return JSONResponse.make(.members(members))
    }
}
