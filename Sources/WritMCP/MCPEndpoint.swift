import Foundation
import MCP
import WritCore

/// An MCP server at a Streamable HTTP endpoint, reached once to read what it offers:
/// `writ inventory import --mcp --url URL` registers its tools.
public enum MCPEndpoint {
    /// What a server says about itself and its tools.
    public struct ToolListing: Sendable {
        /// The name the server gives in its `initialize` answer.
        public var serverName: String
        public var tools: [Tool]
    }

    /// Connects to the MCP server at `url` (`http://` or `https://`, no user, query or
    /// fragment), initializes, lists its tools page by page and ends the session.
    /// - Parameters:
    ///   - timeout: the longest one HTTP exchange may take.
    ///   - maxTools: more tools than this is an error.
    ///   - maxMessageBytes: the longest answer read (a JSON body or one event).
    /// - Throws: `WritError(.invalidRequest)` for a URL that is not one, the client's
    ///   error when the server cannot be reached or does not speak MCP.
    public static func tools(
        at url: String, timeout: Duration, maxTools: Int = 10_000, maxMessageBytes: Int = 1 << 20
    ) async throws -> ToolListing {
        do {
            _ = try UpstreamSpec.parseURL(name: "import", url)
        } catch {
            throw WritError(.invalidRequest, "`\(url)` is not an http:// or https:// URL without user, query or fragment")
        }
        let transport = StreamableHTTPClientTransport(
            url: url, maxMessageBytes: maxMessageBytes, timeout: timeout, label: "writ.inventory.import")
        let client = Client(name: "writ", version: WritGateway.version)
        do {
            let initialized = try await client.connect(transport: transport)
            var tools: [Tool] = []
            var cursor: String?
            repeat {
                let page = try await client.listTools(cursor: cursor)
                tools += page.tools
                guard tools.count <= maxTools else {
                    throw WritError(.invalidRequest, "the server at `\(url)` lists more than \(maxTools) tools")
                }
                cursor = page.nextCursor.flatMap { $0.isEmpty ? nil : $0 }
            } while cursor != nil
            await client.disconnect()
            await transport.disconnect()
            return ToolListing(serverName: initialized.serverInfo.name, tools: tools)
        } catch {
            await client.disconnect()
            await transport.disconnect()
            throw error
        }
    }
}
