import Cedar
import Foundation
import Hummingbird
import WritCore

extension WritServer {
    /// `/v1/inventory`: the registered agents, servers, tools, prompts, datasets and
    /// destinations (docs/INVENTORY.md). Reading and applying take the `manage` scope;
    /// approving a changed tool takes `approve` or `manage`.
    func inventoryRoutes() -> [Route] {
        [
            Route(.get, "/v1/inventory", scope: .manage) { _, _ in
                let items = try await inventory.items()
                let revision = try await inventory.revision()
                return JSONResponse.make(.members([
                    ("version", .integer(InventoryDocument.currentVersion)), ("revision", .integer(revision)),
                    ("items", .array(items.map(\.json))),
                ]))
            },
            Route(.put, "/v1/inventory", scope: .manage) { request, context in
                let body = try await ManagementBody(request: request, context: context, limits: limits).json("inventory document")
                let document = try InventoryDocument(json: body)
                let applied = try await inventory.apply(document, actor: context.author)
                return JSONResponse.make(.members([
                    ("revision", .integer(applied.revision)), ("added", .integer(applied.added)),
                    ("changed", .integer(applied.changed)), ("removed", .integer(applied.removed)),
                    ("unchanged", .integer(applied.unchanged)),
                ]))
            },
            Route(.get, "/v1/inventory/report", scope: .audit) { request, _ in
                try await inventoryReport(request)
            },
            Route(.get, "/v1/inventory/:kind/:id", scope: .manage) { _, context in
                let uid = try inventoryUID(context)
                guard let item = try await inventory.item(uid) else {
                    throw WritError(.notFound, "\(uid) is not registered in the inventory")
                }
                return JSONResponse.make(item.json)
            },
            // Either scope approves: checked here, since a route names one.
            Route(.post, "/v1/inventory/:kind/:id/approve", scope: nil) { request, context in
                var context = context
                context.caller = try await authenticateEither(request, [.approve, .manage])
                let uid = try inventoryUID(context)
                let body = try await ManagementBody(request: request, context: context, limits: limits).json("approval")
                let (owner, hash) = try Self.approvalMembers(body)
                let item = try await inventory.approve(uid, hash: hash, by: owner, actor: context.author)
                return JSONResponse.make(item.json)
            },
        ]
    }

    /// `GET /v1/inventory/report?last=N&format=json|html`: each registered resource with
    /// its owner, labels, the policies naming it, the agents reaching it and its last
    /// `last` decisions (default 5). It reads the audit log, so it takes the `audit` scope.
    private func inventoryReport(_ request: Request) async throws -> Response {
        var last = 5
        var html = false
        var seen: Set<String> = []
        for (name, value) in request.uri.queryParameters {
            let name = String(name), value = String(value)
            guard seen.insert(name).inserted else {
                throw WritError(.invalidRequest, "the parameter `\(name.boundedForMessage)` is given more than once")
            }
            switch name {
            case "last":
                guard let n = Int(value), (0...InventoryReport.maxLast).contains(n) else {
                    throw WritError(.invalidRequest, "`last` must be 0 to \(InventoryReport.maxLast), not `\(value.boundedForMessage)`")
                }
                last = n
            case "format":
                guard value == "json" || value == "html" else {
                    throw WritError(.invalidRequest, "`format` must be json or html, not `\(value.boundedForMessage)`")
                }
                html = value == "html"
            default:
                throw WritError(.invalidRequest, "unknown parameter `\(name.boundedForMessage)`; the report takes last and format")
            }
        }
        let report = try await InventoryReport.make(
            items: try await inventory.items(), engine: try service.engine(), audit: service.store, last: last)
        if html { return JSONResponse.text(report.html, contentType: "text/html; charset=utf-8") }
        return JSONResponse.make(.object(report.jsonObject))
    }

    /// `{"by": "Writ::User::\"ops\"", "hash": "sha256:…"}`: the owner approving, and
    /// optionally the pending hash they looked at.
    private static func approvalMembers(_ body: JSON) throws(WritError) -> (owner: String, hash: String?) {
        guard case .object(let object) = body else {
            throw WritError(.wrongType, "the approval must be an object with `by` and, optionally, `hash`")
        }
        if let unknown = object.keys.first(where: { $0 != "by" && $0 != "hash" }) {
            throw WritError(.invalidRequest, "the approval has an unknown member `\(unknown.boundedForMessage)`; it takes `by` and `hash`")
        }
        guard case .string(let by)? = object["by"] else {
            throw WritError(.missingField, "the approval must name the approving owner in `by`, as `Writ::User::\"ops\"`")
        }
        let owner: EntityUID
        do {
            owner = try PolicyParser.parseEntityUID(by)
        } catch {
            throw WritError(.invalidRequest, "`by` `\(by.boundedForMessage)` is not an entity uid such as `Writ::User::\"ops\"`")
        }
        guard owner.type == BaseSchema.userType else {
            throw WritError(.invalidRequest, "`by` is \(owner); the owner approving is a `Writ::User`")
        }
        var hash: String?
        if let given = object["hash"] {
            guard case .string(let text) = given else { throw WritError(.wrongType, "`hash` must be a string") }
            hash = text
        }
        return (owner.id, hash)
    }

    /// The uid a path names: its kind (`tool`, `agent` …) and id.
    private func inventoryUID(_ context: WritRequestContext) throws(WritError) -> EntityUID {
        guard let type = context.parameters.get("kind"), let encoded = context.parameters.get("id"), !encoded.isEmpty else {
            throw WritError(.invalidRequest, "the path names no inventory item")
        }
        // Ids are any string: the path carries them percent-encoded.
        guard let id = encoded.removingPercentEncoding, !id.isEmpty else {
            throw WritError(.invalidRequest, "the item id `\(encoded.boundedForMessage)` is not percent-encoded UTF-8")
        }
        guard let kind = InventoryItem.Kind(rawValue: type) else {
            let kinds = InventoryItem.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw WritError(.notFound, "`\(type.boundedForMessage)` is not an inventory kind (\(kinds))")
        }
        return EntityUID(kind.entityType, id)
    }

    /// The key authenticated for the first of `scopes` it holds.
    private func authenticateEither(_ request: Request, _ scopes: [APIKeyScope]) async throws -> APIKeyRecord? {
        for scope in scopes {
            do {
                return try await authenticator.authenticate(request, scope: scope)
            } catch let error as WritError where error.code == .forbidden {
                continue
            }
        }
        let names = scopes.map { "`\($0.rawValue)`" }.joined(separator: " or ")
        throw WritError(.forbidden, "this API key has neither scope this route takes: \(names)")
    }
}
