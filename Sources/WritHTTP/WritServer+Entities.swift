import Cedar
import HTTPTypes
import Hummingbird
import WritCore

extension WritServer {
    /// `/v1/entities`, in Cedar's entity JSON format: read the whole set, replace it,
    /// insert or replace some (upsert), delete some by uid. Writes are all or none and
    /// must conform to the schema.
    func entityRoutes() -> [Route] {
        [
            Route(.get, "/v1/entities", scope: .manage) { _, _ in
                let entities = try await service.store.allEntities()
                var bytes: [UInt8] = [UInt8(ascii: "[")]
                for (index, entity) in entities.enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    bytes.append(contentsOf: entity.json.utf8)
                }
                bytes.append(UInt8(ascii: "]"))
                return JSONResponse.make(bytes: bytes)
            },
            Route(.put, "/v1/entities", scope: .manage) { request, context in
                let document = try await entityDocument(request, context)
                return count("count", try await service.replaceEntities(document, author: context.author))
            },
            Route(.post, "/v1/entities", scope: .manage) { request, context in
                let document = try await entityDocument(request, context)
                return count("count", try await service.upsertEntities(document, author: context.author))
            },
            Route(.delete, "/v1/entities", scope: .manage) { request, context in
                let body = try await ManagementBody(request: request, context: context, limits: limits).json("entity uid list")
                let keys = try ManagementBody.decode("entity uid list") { () throws(JSONError) in
                    try body.decodeElements(expected: "an array of entity uids") { uid throws(JSONError) in
                        let object = try uid.asObject()
                        try object.rejectUnknownKeys(allowed: ["type", "id"])
                        return StoredEntityKey(type: try object.decodeString("type"), id: try object.decodeString("id"))
                    }
                }
                return count("deleted", try await service.deleteEntities(keys, author: context.author))
            },
        ]
    }

    private func entityDocument(_ request: Request, _ context: WritRequestContext) async throws -> [UInt8] {
        try await ManagementBody(request: request, context: context, limits: limits).read(accepting: ["application/json"]).bytes
    }

    private func count(_ name: String, _ value: Int) -> Response {
        JSONResponse.make(.members([(name, .integer(value))]))
    }
}
