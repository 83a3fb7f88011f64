import Cedar
import Foundation

/// The fixed side of the entities-or-request target: a policy set that reads many
/// attributes, tags and extension values, the entities a fuzzed request is decided
/// against, and the context of the requests fuzzed entities are decided with.
///
/// They live in `Tests/CedarTests/Fixtures/fuzz/world/`, which the replay tests read
/// too; the fuzzer finds the names they use in `Fuzz/cedar.dict`. A file that does not
/// load is a broken checkout, not a finding, so it traps at startup.
enum FixedWorld {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()  // Fuzz
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("Tests/CedarTests/Fixtures/fuzz/world")

    /// The policies, with the one template linked to `User::"alice"` and `Album::"public"`.
    static let authorizers: AuthorizerPair = load("policies.cedar") { text in
        var set = try PolicySet(PolicyParser.parsePolicies(text))
        for template in set.templates {
            try set.link(
                template: template.id, as: template.id + "-link",
                values: [.principal: EntityUID("User", "alice"), .resource: EntityUID("Album", "public")])
        }
        return AuthorizerPair(set)
    }

    static let entities: Entities = load("entities.json") { text in try EntityJSON.parseEntities(text) }

    /// `User::"alice"` views `Photo::"p"` in the fixed context.
    static let request: Request = load("context.json") { text in
        Request(
            principal: EntityUID("User", "alice"), action: EntityUID("Action", "view"),
            resource: EntityUID("Photo", "p"), context: try EntityJSON.parseContext(text))
    }

    /// The fixed request, then requests between the first three entities of `entities`
    /// (by uid) as principal and resource, with their first action or `Action::"view"`,
    /// in the fixed context.
    static func requests(over entities: Entities) -> [Request] {
        let uids = entities.all.map(\.uid).sorted()
        let action = uids.first { $0.type.isAction } ?? request.action
        let chosen = uids.prefix(3)
        var result = [request]
        for principal in chosen {
            for resource in chosen {
                result.append(
                    Request(principal: principal, action: action, resource: resource, context: request.context))
            }
        }
        return result
    }

    private static func load<T>(_ name: String, _ build: (String) throws -> T) -> T {
        let path = folder.appendingPathComponent(name).path
        do {
            return try build(String(contentsOfFile: path, encoding: .utf8))
        } catch {
            fatalError("the fixed world file \(path) does not load: \(error)")
        }
    }
}
