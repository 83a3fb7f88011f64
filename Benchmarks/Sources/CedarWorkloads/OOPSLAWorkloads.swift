import Cedar
import Foundation

/// The applications of the OOPSLA'24 Cedar paper's evaluation ("Cedar: A New Language
/// for Expressive, Fast, Safe, and Analyzable Authorization"), whose policies and
/// schemas are in the shared conformance data.
public enum OOPSLAApp: String, CaseIterable, Sendable {
    case gdrive
    case gdriveTemplates = "gdrive-templates"
    case github
    case githubTemplates = "github-templates"
    case tinytodo

    var policyFile: String { self == .tinytodo ? "tinytodo.cedar" : "policies.cedar" }
    var schemaFile: String { "\(rawValue).cedarschema.json" }
}

/// How the OOPSLA'24 workloads are generated. The defaults are the paper's largest
/// setting: 50 entities per entity type, each possible edge present with probability
/// 0.05, and 500 requests per entity store.
public struct OOPSLAParameters: Sendable {
    /// Entities generated per entity type (the paper varies this from 5 to 50).
    public var entitiesPerType: Int
    /// The chance of each possible membership, ownership or grant.
    public var connectionProbability: Double
    /// Requests generated for the store.
    public var requestCount: Int
    /// The seed of all random choices.
    public var seed: UInt64

    /// Creates parameters; the defaults are the paper's.
    public init(entitiesPerType: Int = 50, connectionProbability: Double = 0.05, requestCount: Int = 500, seed: UInt64 = 2024)
    {
        self.entitiesPerType = entitiesPerType
        self.connectionProbability = connectionProbability
        self.requestCount = requestCount
        self.seed = seed
    }
}

extension Workload {
    /// The workload of one OOPSLA'24 application: its policies, a generated entity store
    /// (and template links) following the paper's generators, the action entities from
    /// its schema, and random requests each with an action and a principal and resource
    /// of the types the action applies to.
    public static func oopsla(_ app: OOPSLAApp, _ parameters: OOPSLAParameters = .init()) throws(WorkloadError)
        -> Workload
    {
        let folder = try SharedData.oopslaBenchmarks().appending(path: "\(app.rawValue)/cedar")
        let policyText = try SharedData.read(folder.appending(path: app.policyFile))
        let schema = try AppSchema(contentsOf: folder.appending(path: app.schemaFile))

        var rng = SeededGenerator(seed: parameters.seed)
        let n = max(1, parameters.entitiesPerType)
        let p = parameters.connectionProbability
        let store: StoreBuilder
        switch app {
        case .gdrive: store = GDriveGenerator.generate(templates: false, n: n, p: p, rng: &rng)
        case .gdriveTemplates: store = GDriveGenerator.generate(templates: true, n: n, p: p, rng: &rng)
        case .github: store = GitHubGenerator.generate(templates: false, n: n, p: p, rng: &rng)
        case .githubTemplates: store = GitHubGenerator.generate(templates: true, n: n, p: p, rng: &rng)
        case .tinytodo: store = TinyTodoGenerator.generate(n: n, p: p, rng: &rng)
        }
        let entities = store.entities + schema.actionEntities
        let requests = schema.requests(count: parameters.requestCount, from: store.entities, using: &rng)
        return Workload(
            name: app.rawValue,
            summary: "OOPSLA'24 \(app.rawValue): \(n) entities per type, edge probability \(p), "
                + "\(store.links.count) links, seed \(parameters.seed)",
            policyText: policyText, links: store.links, entities: entities, requests: requests)
    }
}
