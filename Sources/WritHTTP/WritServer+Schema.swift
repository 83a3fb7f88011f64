import HTTPTypes
import Hummingbird
import WritCore

extension WritServer {
    /// `/v1/schema`: the active policy set's schema as its own document, and replacing
    /// it (a new policy set version, only if the policies and entities still validate).
    /// Cedar schema text is `text/plain`, the JSON schema format `application/json`.
    func schemaRoutes() -> [Route] {
        [
            Route(.get, "/v1/schema", scope: .manage) { _, _ in
                guard let schema = try await service.store.latestPolicySet()?.schema else {
                    throw WritError(.notFound, "the policy set has no schema: PUT /v1/schema")
                }
                let contentType = schema.format == .json ? "application/json" : "text/plain; charset=utf-8"
                return JSONResponse.text(schema.file.text, contentType: contentType)
            },
            Route(.put, "/v1/schema", scope: .manage) { request, context in
                let body = ManagementBody(request: request, context: context, limits: limits)
                let (mediaType, bytes) = try await body.read(accepting: ["text/plain", "application/json"])
                let text = try ManagementBody.text(bytes, "the schema")
                let schema = mediaType == "application/json"
                    ? SchemaSource(format: .json, file: SourceFile(name: "schema.cedarschema.json", text: text))
                    : SchemaSource(format: .cedar, file: SourceFile(name: "schema.cedarschema", text: text))
                let options = try body.changeOptions
                let record = try await service.replaceSchema(
                    schema, author: context.author, comment: options.comment, expectedVersion: options.expectedVersion)
                return JSONResponse.make(record.summary.json)
            },
        ]
    }
}
