import MCP
import Synchronization

/// Relays `notifications/tools/list_changed` from upstreams to the agent: the first
/// time the gateway lists an upstream's tools through a client, it subscribes to the
/// notification on it. When one arrives, what the gateway knows of that upstream's
/// definitions is forgotten (the next call observes them again, GatewayPinning.swift)
/// and the agent is told its listing changed.
final class ListChangedRelay: Sendable {
    private let state = Mutex<(server: Server?, hooked: Set<ObjectIdentifier>)>((nil, []))

    /// The server the agent is connected to, once it runs.
    func attach(_ server: Server) {
        state.withLock { $0.server = server }
    }

    /// Subscribes to `client`'s tool list changes, once per client.
    func hook(_ client: Client, upstream: String, pins: PinLedger) async {
        let first = state.withLock { $0.hooked.insert(ObjectIdentifier(client)).inserted }
        guard first else { return }
        await client.onNotification(ToolListChangedNotification.self) { [weak self] _ in
            pins.forget(upstream: upstream)
            await self?.toolsChanged()
        }
    }

    /// Tells the agent its tool listing changed.
    private func toolsChanged() async {
        guard let server = state.withLock({ $0.server }) else { return }
        try? await server.notify(ToolListChangedNotification.message())
    }
}
