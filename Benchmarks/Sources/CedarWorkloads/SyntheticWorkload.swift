import Cedar

/// How the synthetic per-user workload is generated (see `Workload.synthetic`).
public struct SyntheticParameters: Sendable {
    /// Users, and so linked policies.
    public var users: Int
    /// Requests in the mix.
    public var requestCount: Int
    /// The seed of all random choices.
    public var seed: UInt64

    /// Creates parameters; the defaults give the 10,000-policy workload.
    public init(users: Int = 10_000, requestCount: Int = 500, seed: UInt64 = 2024) {
        self.users = users
        self.requestCount = requestCount
        self.seed = seed
    }
}

extension Workload {
    /// The policies of the synthetic workload.
    static let perUserPolicies = """
        // Each user may view, comment on and edit what is in their home folder, when
        // signed in; locked documents cannot be edited. Linked once per user.
        @id("homeFolder")
        permit (
            principal == ?principal,
            action in [Action::"view", Action::"comment", Action::"edit"],
            resource in ?resource
        )
        when { context.authenticated && (action != Action::"edit" || !resource.locked) };

        // Anyone signed in may view a public document.
        permit (principal, action == Action::"view", resource)
        when { context.authenticated && resource.isPublic };

        // A suspended user may do nothing.
        forbid (principal, action, resource)
        when { principal.suspended };

        """

    /// A large policy set made of one template linked once per user, as a service that
    /// grants each user access to their own home folder would hold: `users` users in
    /// 100 teams, each with a home folder holding one document, one link of the
    /// home-folder template per user, and two static policies that apply to everyone.
    ///
    /// Requests mix a user acting on their own document (60%) and on someone else's,
    /// with a random action (one of them never permitted) and sign-in state. Each is
    /// decided by the static policies and at most one link, so the time spent on the
    /// other links is pure scope checking: the workload measures what the scope index saves.
    public static func synthetic(_ parameters: SyntheticParameters = .init()) -> Workload {
        var rng = SeededGenerator(seed: parameters.seed)
        let count = max(1, parameters.users)
        var store = StoreBuilder()
        let actions = ["view", "comment", "edit", "delete"].map { EntityUID("Action", $0) }
        let teams = numberedUIDs("Team", "team_", min(100, count))
        let users = numberedUIDs("User", "user_", count)
        let folders = numberedUIDs("Folder", "home_", count)
        let documents = numberedUIDs("Document", "doc_", count)

        for action in actions { store.add(action) }
        for team in teams { store.add(team) }
        for (i, user) in users.enumerated() {
            store.add(user, [("suspended", .bool(rng.chance(0.01)))], parents: [teams[i % teams.count]])
            store.link("homeFolder", principal: user, resource: folders[i])
        }
        for folder in folders { store.add(folder) }
        for (i, document) in documents.enumerated() {
            store.add(
                document, [("locked", .bool(rng.chance(0.1))), ("isPublic", .bool(rng.chance(0.05)))],
                parents: [folders[i]])
        }

        let requests = (0..<parameters.requestCount).map { _ -> Request in
            let user = Int.random(in: 0..<count, using: &rng)
            let document = rng.chance(0.6) ? user : Int.random(in: 0..<count, using: &rng)
            return Request(
                principal: users[user], action: rng.pick(actions), resource: documents[document],
                context: Record([("authenticated", .bool(rng.chance(0.95)))]))
        }
        return Workload(
            name: count == 10_000 ? "synthetic-10k" : "synthetic-\(count)",
            summary: "one template linked per user: \(count) links and 2 static policies, seed \(parameters.seed)",
            policyText: perUserPolicies, links: store.links, entities: store.entities, requests: requests)
    }
}
