import Testing

@testable import Cedar

/// A small schema, built by hand, for the schema-based reading and validation tests:
///
/// ```cedarschema
/// entity Org;
/// entity Group in [Org];
/// entity User in [Group] {
///   age: Long, ip?: ipaddr, boss?: User, friends?: Set<User>,
///   profile?: { nick: String, since?: datetime, "two words"?: Long },
/// };
/// entity Color enum ["red", "blue"];
/// entity Doc tags String { color?: Color, related?: Set<Action> };
/// action all;
/// action read in [all];
/// action view in [read] appliesTo {
///   principal: [User], resource: [Doc],
///   context: { n: Long, when?: datetime, color?: Color, ips?: Set<ipaddr> },
/// };
/// ```
enum SchemaFixture {
    static let user = EntityType("User")
    static let doc = EntityType("Doc")
    static let view = EntityUID("Action", "view")
    static let read = EntityUID("Action", "read")
    static let all = EntityUID("Action", "all")

    static let schema: Schema = {
        let profile = RecordSchema([
            AttributeSchema(name: "nick", type: .string),
            AttributeSchema(name: "since", type: .extension("datetime"), isRequired: false),
            AttributeSchema(name: "two words", type: .long, isRequired: false),
        ])
        let types = [
            EntityTypeSchema(name: EntityType("Org")),
            EntityTypeSchema(name: EntityType("Group"), memberOfTypes: [EntityType("Org")]),
            EntityTypeSchema(
                name: user, memberOfTypes: [EntityType("Group")],
                attributes: RecordSchema([
                    AttributeSchema(name: "age", type: .long),
                    AttributeSchema(name: "ip", type: .extension("ipaddr"), isRequired: false),
                    AttributeSchema(name: "boss", type: .entity(user), isRequired: false),
                    AttributeSchema(name: "friends", type: .set(.entity(user)), isRequired: false),
                    AttributeSchema(name: "profile", type: .record(profile), isRequired: false),
                ])),
            EntityTypeSchema(name: EntityType("Color"), enumValues: ["red", "blue"]),
            EntityTypeSchema(
                name: doc,
                attributes: RecordSchema([
                    AttributeSchema(name: "color", type: .entity(EntityType("Color")), isRequired: false),
                    AttributeSchema(name: "related", type: .set(.entity(EntityType("Action"))), isRequired: false),
                ]),
                tags: .string),
        ]
        let context = RecordSchema([
            AttributeSchema(name: "n", type: .long),
            AttributeSchema(name: "when", type: .extension("datetime"), isRequired: false),
            AttributeSchema(name: "color", type: .entity(EntityType("Color")), isRequired: false),
            AttributeSchema(name: "ips", type: .set(.extension("ipaddr")), isRequired: false),
        ])
        let actions = [
            ActionSchema(uid: all, hasAppliesTo: false),
            ActionSchema(uid: read, memberOf: [all], hasAppliesTo: false),
            ActionSchema(uid: view, memberOf: [read], principalTypes: [user], resourceTypes: [doc], context: context),
        ]
        return Schema(
            entityTypes: Dictionary(uniqueKeysWithValues: types.map { ($0.name, $0) }),
            actions: Dictionary(uniqueKeysWithValues: actions.map { ($0.uid, $0) }))
    }()

    /// Runs `body`, which must throw a `JSONError`, and returns it.
    static func jsonError(_ body: () throws -> Void) -> JSONError? {
        do {
            try body()
            Issue.record("expected an error")
        } catch let error as JSONError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return nil
    }

    /// Reads `text` as a value of type `type` with the standard extensions.
    static func read(_ text: String, as type: SchemaType?) throws -> Value {
        try SchemaValueReader().read(JSON.parse(text), as: type)
    }

    /// `ip(text)`, `datetime(text)` and so on, with the standard extensions.
    static func ext(_ function: String, _ argument: String) throws -> Value {
        .ext(try Extensions.construct(function: function, argument: argument))
    }
}
