import Cedar
import Foundation
import Synchronization

extension TaskService {
    /// The tools, of `tools` (ids `<server>___<tool>`), that the agent of the task
    /// `credential` names might be allowed to call inside its task, for a listing
    /// (`tools/list` at a gateway). Nothing is charged, learned or recorded.
    ///
    /// A listing has no arguments, so each tool's call (`Writ::Action::"<id>"` on
    /// `Writ::Tool::"<id>"`) is decided without `context.input`, and a policy that
    /// reads the arguments errors. A tool is listed when the task and every task above
    /// it are open, and the organisation's policies and every mandate of the chain each
    /// *might* allow it: they allow it; or no forbid is satisfied and a permit erred
    /// (it depends on the arguments); or, for the organisation's policies, only
    /// approvable forbids deny (a call would ask a person). A forbid that erred is
    /// taken as not applying, since other arguments may not meet it. Budgets are not
    /// checked. The call itself is always decided in full, with its arguments.
    ///
    /// An unverified credential, or a task that is closed, expired or not held (after
    /// reading it from the store once, as a decision would), lists nothing.
    public func callable(_ tools: [String], credential: String) async -> [String] {
        guard case .success(let identity) = identify(credential: credential) else { return [] }
        let first = now()
        if case .failure(let denial) = registry.withLock({ $0.chain(of: identity.taskID, agent: identity.agent, now: first) }),
            denial.reason == TaskDenial.Reason.noTask
        {
            _ = try? await hold(fromStore: [identity.taskID])
        }
        let instant = now()
        guard case .success(let chain) = registry.withLock({ $0.chain(of: identity.taskID, agent: identity.agent, now: instant) }),
            let engine = try? decisions.engine()
        else { return [] }
        let entities = engine.entities(layering: chain.map { TaskContext.history(of: $0.record) })
        let agent = EntityUID(type: BaseSchema.agentType, id: identity.agent)
        return tools.filter { tool in
            let action = EntityUID(type: BaseSchema.callAction.type, id: tool)
            var request = Request(principal: agent, action: action, resource: EntityUID(type: Self.toolType, id: tool))
            request.context = TaskContext.context(
                Record(), task: Self.shown(chain, 0), action: action, now: instant, schema: engine.schema)
            guard Self.mightAllow(request, entities: entities, policies: engine.compiled, approvable: true) else {
                return false
            }
            for (index, entry) in chain.enumerated() {
                guard let mandate = entry.mandate else { return false }
                request.context = TaskContext.context(
                    Record(), task: Self.shown(chain, index), action: action, now: instant, schema: engine.schema)
                guard Self.mightAllow(request, entities: entities, policies: mandate, approvable: false) else { return false }
            }
            return true
        }
    }

    /// `Writ::Tool`, the resource type of a tool call.
    static let toolType = EntityType("Writ::Tool")

    /// Whether `policies` might allow `request` for some arguments (see `callable`).
    private static func mightAllow(
        _ request: Request, entities: Entities, policies: CompiledPolicySet, approvable: Bool
    ) -> Bool {
        let response = policies.authorizer.authorize(request, entities: entities)
        if response.decision == .allow { return true }
        if !response.reasons.isEmpty {
            // Satisfied forbids: only approvable ones leave the call possible.
            return approvable && response.reasons.allSatisfy { policies.approvable[$0] != nil }
        }
        return response.errors.contains { $0.effect == .permit }
    }
}
