import MCP

/// An upstream's resources and prompts, for `resources/*` and `prompts/*`. Each takes
/// the `credential` sent to an HTTP upstream as `Authorization: Bearer`, as `call` does.
extension Upstream {
    /// The upstream's resources, every page.
    func resources(credential: String? = nil) async throws(UpstreamFailure) -> [Resource] {
        try await sending(credential) { () async throws(UpstreamFailure) in
            try await pages("list its resources") { client, cursor in
                let page = try await client.listResources(cursor: cursor)
                return (page.resources, page.nextCursor)
            }
        }
    }

    /// Reads the resource `uri`; its contents as the upstream gave them.
    func read(_ uri: String, credential: String? = nil) async throws(UpstreamFailure) -> [Resource.Content] {
        try await sending(credential) { () async throws(UpstreamFailure) in
            let client = try await started()
            do {
                return try await client.readResource(uri: uri)
            } catch {
                throw failure("failed to read `\(uri)`", error)
            }
        }
    }

    /// The upstream's prompts, every page.
    func prompts(credential: String? = nil) async throws(UpstreamFailure) -> [Prompt] {
        try await sending(credential) { () async throws(UpstreamFailure) in
            try await pages("list its prompts") { client, cursor in
                let page = try await client.listPrompts(cursor: cursor)
                return (page.prompts, page.nextCursor)
            }
        }
    }

    /// Gets prompt `name` with `arguments`; the result as the upstream gave it.
    func prompt(
        _ name: String, arguments: [String: String]?, credential: String? = nil
    ) async throws(UpstreamFailure) -> GetPrompt.Result {
        try await sending(credential) { () async throws(UpstreamFailure) in
            let client = try await started()
            do {
                return try await client.send(GetPrompt.request(.init(name: name, arguments: arguments))).value
            } catch {
                throw failure("failed to get the prompt `\(name)`", error)
            }
        }
    }

    /// `work`, with every message it sends carrying `credential`.
    func sending<T: Sendable>(
        _ credential: String?, _ work: () async throws(UpstreamFailure) -> T
    ) async throws(UpstreamFailure) -> T {
        try await UpstreamRequest.$credential.withValue(credential) { () async -> Result<T, UpstreamFailure> in
            do throws(UpstreamFailure) { return .success(try await work()) } catch { return .failure(error) }
        }.get()
    }

    /// Every item of a paged listing, at most 100 pages; `what` names it in errors.
    private func pages<Item>(
        _ what: String, _ page: (Client, String?) async throws -> (items: [Item], next: String?)
    ) async throws(UpstreamFailure) -> [Item] {
        let client = try await started()
        var found: [Item] = []
        var cursor: String?
        for _ in 0..<100 {
            do {
                let (items, next) = try await page(client, cursor)
                found += items
                guard let next, !next.isEmpty else { return found }
                cursor = next
            } catch {
                throw failure("could not \(what)", error)
            }
        }
        return found
    }
}
