import Cedar
import Foundation
import MCP
import Synchronization
import WritCore

/// What the inventory says of the definition an upstream gives a tool now
/// (docs/INVENTORY.md, "Drift").
public enum PinState: String, Sendable, Equatable {
    /// The pinned definition: the tool may be listed and called.
    case pinned
    /// Another definition: the tool is quarantined (hidden, its calls denied
    /// `tool_changed`) until its owner approves the change.
    case quarantined
    /// Not a registered tool: the inventory's `unregistered` rule decides it.
    case unregistered
    /// The definition could not be checked (unreadable, the store failing): the tool
    /// is hidden and its calls refused (fail closed).
    case unverified
    /// The decider cannot observe definitions (a remote `writ serve`: no route
    /// reports them). The tool is listed and decided as usual; a quarantine recorded
    /// on the server still denies it.
    case unchecked
}

extension ToolDefinition {
    /// A `tools/list` entry as the inventory pins it: name (`name`, else the entry's),
    /// description and input schema.
    public init(mcp tool: Tool, name: String? = nil) throws(WritError) {
        let schema: Data
        do {
            schema = try JSONEncoder().encode(tool.inputSchema)
        } catch {
            throw WritError(.invalidRequest, "the input schema of tool `\(tool.name)` cannot be encoded: \(error)")
        }
        try self.init(
            name: name ?? tool.name, description: tool.description, inputSchema: String(decoding: schema, as: UTF8.self))
    }
}

/// The pin state of each namespaced tool (`<upstream>___<tool>`) as last observed in
/// this gateway: filled by every listing, consulted before every call. A call to a
/// tool not observed yet lists its upstream first.
final class PinLedger: Sendable {
    private let states = Mutex<[String: PinState]>([:])

    /// The state last observed for `tool`; nil when it was never observed.
    func state(of tool: String) -> PinState? { states.withLock { $0[tool] } }

    /// Replaces what is known of `upstream`'s tools with `observed`.
    func record(_ observed: [String: PinState], upstream: String) {
        let prefix = upstream + UpstreamSpec.separator
        states.withLock { states in
            states = states.filter { !$0.key.hasPrefix(prefix) }
            states.merge(observed) { _, new in new }
        }
    }

    /// Forgets `upstream`'s tools (its listing changed): the next call observes them again.
    func forget(upstream: String) {
        record([:], upstream: upstream)
    }
}

extension WritGateway {
    /// Reports `tools` (already namespaced, as `upstream` lists them) to the inventory
    /// and returns those the agent may see: not quarantined, not unverified.
    func pinning(_ tools: [Tool], upstream: String) async -> [Tool] {
        let observed = await observe(tools, upstream: upstream)
        return tools.filter { tool in
            let state = observed[tool.name] ?? .unverified
            return state != .quarantined && state != .unverified
        }
    }

    /// The refusal of a call to `name` on pinning grounds, or nil when it may be decided:
    /// a tool not observed since the gateway started is observed first (its upstream
    /// listed). A quarantined tool is decided (Writ denies it `tool_changed`, recorded);
    /// a tool whose definition could not be checked is refused (`tool_unverified`).
    func pinRefusal(_ name: String) async -> GatewayOutcome? {
        guard let (upstream, _) = route(name) else { return nil }
        if pins.state(of: name) == nil {
            let listed = await listTools(of: upstream)
            guard case .success(let tools) = listed else { return nil }
            _ = await observe(tools.map { Self.namespaced($0, upstream: upstream.spec.name) }, upstream: upstream.spec.name)
        }
        return pins.state(of: name) == .unverified ? .refused("tool_unverified") : nil
    }

    /// Observes `tools` (namespaced) with the decider and records their states.
    private func observe(_ tools: [Tool], upstream: String) async -> [String: PinState] {
        var definitions: [String: ToolDefinition] = [:]
        var observed: [String: PinState] = [:]
        let prefix = upstream + UpstreamSpec.separator
        for tool in tools {
            do throws(WritError) {
                // The inventory pins the tool as its upstream names it.
                let own = String(tool.name.dropFirst(tool.name.hasPrefix(prefix) ? prefix.count : 0))
                definitions[tool.name] = try ToolDefinition(mcp: tool, name: own)
            } catch {
                Self.log("tools/list: `\(tool.name)` of upstream `\(upstream)` has a definition Writ cannot read: \(error.message)")
                observed[tool.name] = .unverified
            }
        }
        let decider = self.decider
        let reported = definitions
        let states = await Deadline.run(within: configuration.decisionTimeout, late: { [String: PinState]() }) {
            await decider.observe(reported)
        }
        for name in definitions.keys { observed[name] = states[name] ?? .unverified }
        pins.record(observed, upstream: upstream)
        return observed
    }

    /// `upstream`'s tools within the upstream timeout; the gateway then follows the
    /// upstream's changes to them (`ListChangedRelay`).
    func listTools(of upstream: Upstream) async -> Result<[Tool], UpstreamFailure> {
        let name = upstream.spec.name
        let agentCredential = credential?.token
        let listed = await withinUpstreamTimeout(upstream, what: "list its tools") { [self] upstream in
            try await upstream.tools(credential: try await upstreamCredential(for: upstream, agentCredential: agentCredential))
        }
        if case .success = listed, let client = try? await upstream.started() {
            await relay.hook(client, upstream: name, pins: pins)
        }
        return listed
    }
}

extension GatewayDecider {
    /// Nothing observed: every definition `unchecked`.
    public func observe(_ definitions: [String: ToolDefinition]) async -> [String: PinState] {
        definitions.mapValues { _ in .unchecked }
    }
}

extension EmbeddedDecider {
    /// Reports each definition to the inventory (`InventoryService.observe`, actor
    /// `actor`): a changed one quarantines its tool, recorded `inventory.tool_changed`.
    public func observe(_ definitions: [String: ToolDefinition]) async -> [String: PinState] {
        let inventory = InventoryService(decisions: service, audit: audit)
        var states: [String: PinState] = [:]
        for (name, definition) in definitions {
            do throws(WritError) {
                try await inventory.observe(definition, of: EntityUID("Writ::Tool", name), actor: actor)
                states[name] = .pinned
            } catch where error.code == .notFound {
                states[name] = .unregistered
            } catch {
                states[name] = .unverified
            }
        }
        // `observe` answers `unchanged` for a tool still quarantined with the same
        // pending definition: read the states it left.
        guard states.values.contains(.pinned) else { return states }
        do throws(WritError) {
            for item in try await inventory.items() {
                guard item.uid.type.name == "Writ::Tool", states[item.uid.id] == .pinned,
                    case .quarantined = item.state
                else { continue }
                states[item.uid.id] = .quarantined
            }
        } catch {
            for (name, state) in states where state == .pinned { states[name] = .unverified }
        }
        return states
    }
}
