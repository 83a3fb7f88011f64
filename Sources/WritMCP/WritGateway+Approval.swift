import MCP
import WritCore

extension GatewayDecider {
    /// The state of approval `id`, or nil when this decider cannot read it (a remote
    /// `writ serve`: reading approvals needs the `approve` scope, which a gateway's key
    /// should not have). The gateway then asks the same call again to learn it.
    public func approvalState(_ id: String) async -> ApprovalState? { nil }
}

extension EmbeddedDecider {
    /// The approval's state in the store; nil when it cannot be read.
    public func approvalState(_ id: String) async -> ApprovalState? {
        guard let approvals else { return nil }
        return try? await approvals.approval(id: id)?.state
    }
}

extension WritGateway {
    /// How often a waiting call looks at its approval: the store (in process), or by
    /// asking the call again (a remote decider, each ask recorded in its audit log).
    static let approvalPoll: Duration = .milliseconds(200)
    static let approvalReask: Duration = .seconds(2)

    /// With `Configuration.approvalWait`, an `ask` waits for a person: until its
    /// approval is decided, the call is decided again (an approval grants it, a refusal
    /// denies it `approval_refused`); when the wait ends first, the ask stands (the
    /// error names the approval). Any other outcome is returned as it is.
    func waitingForApproval(_ outcome: GatewayOutcome, tool name: String, arguments: [String: Value]?) async -> GatewayOutcome {
        guard outcome.decision == .ask, let wait = configuration.approvalWait, let id = outcome.approvalID else {
            return outcome
        }
        let deadline = ContinuousClock.now + wait
        var reasked = ContinuousClock.now
        while ContinuousClock.now < deadline {
            let remaining = deadline - ContinuousClock.now
            guard (try? await Task.sleep(for: min(Self.approvalPoll, remaining))) != nil else { return outcome }
            let state = await decider.approvalState(id)
            if state == .pending { continue }
            if state == nil {
                // Cannot read it: ask the call again now and then (the same pending
                // approval is named while no one has decided).
                guard ContinuousClock.now - reasked >= Self.approvalReask else { continue }
                reasked = ContinuousClock.now
            }
            let next = await decide(name, arguments: arguments)
            if next.decision == .ask, next.approvalID == id { continue }
            return next
        }
        return outcome
    }
}
