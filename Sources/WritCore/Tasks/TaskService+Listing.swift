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
    /// A tool the inventory refuses (unregistered, or quarantined because its
    /// definition changed: docs/INVENTORY.md) is not listed.
    ///
    /// An unverified credential, or a task that is closed, expired or not held (after
    /// reading it from the store once, as a decision would), lists nothing.
    public func callable(_ tools: [String], credential: String) async -> [String] {
        await listable(tools, credential: credential) { tool in
            (EntityUID(type: BaseSchema.callAction.type, id: tool), EntityUID(type: Self.toolType, id: tool))
        }
    }

    /// The resources, of `ids` (entities of type `resourceType`), that the agent of the
    /// task `credential` names might be allowed to use with `action` inside its task,
    /// for a listing: `retrieve` on `Writ::Document`s (`resources/list` at a gateway),
    /// `prompt` on `Writ::Prompt`s (`prompts/list`). Decided as `callable` decides
    /// tools, without context beyond the task; nothing is charged, learned or recorded.
    public func usable(_ ids: [String], action: String, resourceType: String, credential: String) async -> [String] {
        let action = EntityUID(type: BaseSchema.callAction.type, id: action)
        let type = EntityType(resourceType)
        return await listable(ids, credential: credential) { id in (action, EntityUID(type: type, id: id)) }
    }

    /// The ids whose request (`request(id)`: action and resource) `callable` would list.
    private func listable(
        _ ids: [String], credential: String, request: (String) -> (action: EntityUID, resource: EntityUID)
    ) async -> [String] {
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
        return ids.filter { id in
            let (action, resource) = request(id)
            var request = Request(principal: agent, action: action, resource: resource)
            // An unregistered resource or a quarantined tool is denied before any policy is read.
            guard engine.inventoryDenial(request, entities: entities) == nil else { return false }
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
