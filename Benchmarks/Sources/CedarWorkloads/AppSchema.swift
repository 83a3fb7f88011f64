import Cedar
import Foundation

/// The part of a Cedar JSON schema a request generator needs: each action, the
/// principal and resource types it applies to, and the action groups it belongs to.
struct AppSchema: Sendable {
    struct Action: Sendable {
        let uid: EntityUID
        let principalTypes: [EntityType]
        let resourceTypes: [EntityType]
        let parents: [EntityUID]
    }

    /// The actions, sorted by uid so that generation does not depend on JSON order.
    let actions: [Action]

    /// Reads a schema in Cedar's JSON schema format.
    init(contentsOf url: URL) throws(WorkloadError) {
        let document: [String: Namespace]
        do {
            document = try JSONDecoder().decode([String: Namespace].self, from: Data(contentsOf: url))
        } catch {
            throw WorkloadError(.invalidSchema, "cannot read the schema `\(url.lastPathComponent)`: \(error)")
        }
        var actions: [Action] = []
        for (namespace, body) in document {
            func qualified(_ name: String) -> String { namespace.isEmpty ? name : "\(namespace)::\(name)" }
            let actionType = qualified("Action")
            for (name, declaration) in body.actions ?? [:] {
                actions.append(
                    Action(
                        uid: EntityUID(actionType, name),
                        principalTypes: (declaration.appliesTo?.principalTypes ?? []).map { EntityType(qualified($0)) },
                        resourceTypes: (declaration.appliesTo?.resourceTypes ?? []).map { EntityType(qualified($0)) },
                        parents: (declaration.memberOf ?? []).map { EntityUID($0.type ?? actionType, $0.id) }))
            }
        }
        self.actions = actions.sorted { $0.uid < $1.uid }
    }

    /// The action entities, with their groups as parents. An authorizer needs them in
    /// the store for `action in Action::"group"` to hold.
    var actionEntities: [Entity] {
        actions.map { Entity(uid: $0.uid, parents: Set($0.parents)) }
    }

    /// `count` requests, each an action with a principal and a resource of the types it
    /// applies to, drawn uniformly from `entities`, as the OOPSLA'24 harness draws them.
    func requests(count: Int, from entities: [Entity], using rng: inout SeededGenerator) -> [Request] {
        var byType: [EntityType: [EntityUID]] = [:]
        for entity in entities { byType[entity.uid.type, default: []].append(entity.uid) }
        let candidates = actions.compactMap { action -> (EntityUID, [EntityUID], [EntityUID])? in
            let principals = action.principalTypes.flatMap { byType[$0] ?? [] }
            let resources = action.resourceTypes.flatMap { byType[$0] ?? [] }
            guard !principals.isEmpty, !resources.isEmpty else { return nil }
            return (action.uid, principals, resources)
        }
        guard !candidates.isEmpty else { return [] }
        return (0..<count).map { _ in
            let (action, principals, resources) = rng.pick(candidates)
            return Request(principal: rng.pick(principals), action: action, resource: rng.pick(resources))
        }
    }

    // MARK: - The JSON shape

    private struct Namespace: Decodable {
        let actions: [String: ActionDeclaration]?
    }

    private struct ActionDeclaration: Decodable {
        let appliesTo: AppliesTo?
        let memberOf: [ActionReference]?
    }

    private struct AppliesTo: Decodable {
        let principalTypes: [String]?
        let resourceTypes: [String]?
    }

    private struct ActionReference: Decodable {
        let id: String
        let type: String?
    }
}
