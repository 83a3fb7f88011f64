import Cedar

// Entity stores shaped like those of the OOPSLA'24 evaluation's generators: `n`
// entities of each type, and every possible membership, ownership or grant present
// with probability `p`. Hierarchies among entities of one type only point to
// lower-numbered entities, so they are acyclic.

/// Google Drive: users in groups own documents and folders; documents sit in folders,
/// which nest. View access is granted to users and groups, either through `View`
/// entities in the hierarchy or, in the templates variant, by linking the template
/// `@id("template")` to the grantee and the document or folder.
enum GDriveGenerator {
    static func generate(templates: Bool, n: Int, p: Double, rng: inout SeededGenerator) -> StoreBuilder {
        var store = StoreBuilder()
        let users = numberedUIDs("User", "user_", n)
        let groups = numberedUIDs("Group", "group_", n)
        let documents = numberedUIDs("Document", "doc_", n)
        let folders = numberedUIDs("Folder", "folder_", n)
        func view(_ grantee: EntityUID) -> EntityUID { EntityUID("View", "\(grantee.type.name) \(grantee.id)") }

        var members: [[EntityUID]] = Array(repeating: [], count: n)
        for user in users {
            var parents: [EntityUID] = []
            for (j, group) in groups.enumerated() where rng.chance(p) {
                parents.append(group)
                members[j].append(user)
            }
            let ownedDocuments = documents.filter { _ in rng.chance(p) }
            let ownedFolders = folders.filter { _ in rng.chance(p) }
            var attributes: [(String, Value)] = [
                ("ownedDocuments", .entities(ownedDocuments)), ("ownedFolders", .entities(ownedFolders)),
            ]
            if !templates { attributes.append(("documentsAndFoldersWithViewAccess", .entity(view(user)))) }
            store.add(user, attributes, parents: parents)
            if !templates { store.add(view(user)) }
        }
        for (j, group) in groups.enumerated() {
            store.add(group)
            // A group's view is in each member's view, so what the group may view, its members may.
            if !templates { store.add(view(group), parents: members[j].map(view)) }
        }

        /// Grants view access on `resource` to random users and groups; returns the
        /// parents that express the grants in the hierarchy (none with templates).
        func grantViewAccess(on resource: EntityUID) -> [EntityUID] {
            var viewParents: [EntityUID] = []
            for grantee in users + groups where rng.chance(p) {
                if templates {
                    store.link("template", principal: grantee, resource: resource)
                } else {
                    viewParents.append(view(grantee))
                }
            }
            return viewParents
        }
        for document in documents {
            let isPublic = rng.chance(0.5)
            let parents = folders.filter { _ in rng.chance(p) } + grantViewAccess(on: document)
            store.add(document, [("isPublic", .bool(isPublic))], parents: parents)
        }
        for (i, folder) in folders.enumerated() {
            let parents = folders[..<i].filter { _ in rng.chance(p) } + grantViewAccess(on: folder)
            store.add(folder, parents: parents)
        }
        return store
    }
}

/// GitHub: organizations own repositories; users and teams get a role on a repository
/// (through `RepoPermission` entities, or in the templates variant by a link of the
/// role's template) and on organizations (through `OrgPermission` entities).
enum GitHubGenerator {
    static let repositoryRoles = ["readers", "triagers", "writers", "maintainers", "admins"]
    static let roleTemplates = ["readTemplate", "triageTemplate", "writeTemplate", "maintainTemplate", "adminTemplate"]
    static let organizationRoles = ["readers", "writers", "admins"]

    static func generate(templates: Bool, n: Int, p: Double, rng: inout SeededGenerator) -> StoreBuilder {
        var store = StoreBuilder()
        let organizations = numberedUIDs("Organization", "org_", n)
        let repositories = numberedUIDs("Repository", "repo_", n)
        let teams = numberedUIDs("Team", "team_", n)
        let users = numberedUIDs("User", "user_", n)
        func organizationPermission(_ org: Int, _ role: String) -> EntityUID {
            EntityUID("OrgPermission", "org_\(org)_\(role)")
        }
        func repositoryPermission(_ repo: Int, _ role: String) -> EntityUID {
            EntityUID("RepoPermission", "repo_\(repo)_\(role)")
        }

        for (i, organization) in organizations.enumerated() {
            var parents: [EntityUID] = []
            for j in 0..<n where rng.chance(p) {
                parents.append(organizationPermission(j, rng.pick(organizationRoles)))
            }
            let roles = organizationRoles.map { ($0, Value.entity(organizationPermission(i, $0))) }
            store.add(organization, roles, parents: parents)
            for role in organizationRoles { store.add(organizationPermission(i, role)) }
        }
        for (i, repository) in repositories.enumerated() {
            let owner: (String, Value) = ("owner", .entity(rng.pick(organizations)))
            if templates {
                store.add(repository, [owner])
            } else {
                store.add(repository, repositoryRoles.map { ($0, .entity(repositoryPermission(i, $0))) } + [owner])
                for role in repositoryRoles { store.add(repositoryPermission(i, role)) }
            }
        }

        /// Gives `grantee` a random role on random repositories; returns the parents that
        /// express the roles in the hierarchy (none with templates).
        func grantRepositoryRoles(to grantee: EntityUID) -> [EntityUID] {
            var parents: [EntityUID] = []
            for (j, repository) in repositories.enumerated() where rng.chance(p) {
                let role = Int.random(in: 0..<repositoryRoles.count, using: &rng)
                if templates {
                    store.link(roleTemplates[role], principal: grantee, resource: repository)
                } else {
                    parents.append(repositoryPermission(j, repositoryRoles[role]))
                }
            }
            return parents
        }
        for (i, team) in teams.enumerated() {
            let parents = teams[..<i].filter { _ in rng.chance(p) } + grantRepositoryRoles(to: team)
            store.add(team, parents: parents)
        }
        for user in users {
            var parents = grantRepositoryRoles(to: user) + teams.filter { _ in rng.chance(p) }
            for (j, organization) in organizations.enumerated() {
                if rng.chance(p) { parents.append(organization) }
                if rng.chance(p) { parents.append(organizationPermission(j, rng.pick(organizationRoles))) }
            }
            store.add(user, parents: parents)
        }
        return store
    }
}

/// TinyTodo: users in (nested) teams own task lists and share them with a team of
/// readers and a team of editors; a list holds up to 50 tasks.
enum TinyTodoGenerator {
    static func generate(n: Int, p: Double, rng: inout SeededGenerator) -> StoreBuilder {
        var store = StoreBuilder()
        let application = EntityUID("Application", "TinyTodo")
        let users = numberedUIDs("User", "user_", n)
        let teams = numberedUIDs("Team", "team_", n)
        store.add(application)
        for user in users {
            store.add(user, parents: teams.filter { _ in rng.chance(p) } + [application])
        }
        for (i, team) in teams.enumerated() {
            store.add(team, parents: teams[..<i].filter { _ in rng.chance(p) } + [application])
        }
        for (i, list) in numberedUIDs("List", "list_", n).enumerated() {
            let tasks = (0..<Int.random(in: 0...50, using: &rng)).map { _ -> Value in
                .record(
                    Record([
                        ("name", .string("task_\(Int.random(in: 1...1_000_000, using: &rng))")),
                        ("id", .long(Int64.random(in: 1...1_000_000, using: &rng))),
                        ("state", .string(rng.chance(0.5) ? "Checked" : "Unchecked")),
                    ]))
            }
            let attributes: [(String, Value)] = [
                ("name", .string("list_\(i)")),
                ("owner", .entity(rng.pick(users))),
                ("readers", .entity(rng.pick(teams))),
                ("editors", .entity(rng.pick(teams))),
                ("tasks", .set(CedarSet(tasks))),
            ]
            store.add(list, attributes, parents: [application])
        }
        return store
    }
}
