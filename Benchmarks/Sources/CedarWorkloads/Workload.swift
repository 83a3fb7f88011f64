import Cedar

/// One benchmark workload: a policy set as Cedar text with its template links, an
/// entity store and a request mix. Everything is plain data, so the same workload
/// can be timed in-process and exported for Rust Cedar.
public struct Workload: Sendable {
    /// A link of a template to entities. The template is named by its `@id`
    /// annotation, which Rust Cedar's tooling also resolves, so the two engines link
    /// the same template whatever positional ids the parsers assign.
    public struct Link: Sendable {
        /// The `@id` annotation of the template to link.
        public let template: String
        /// The id of the linked policy.
        public let newID: PolicyID
        /// The entity for each slot of the template.
        public let values: [SlotID: EntityUID]

        /// Creates a link.
        public init(template: String, newID: PolicyID, values: [SlotID: EntityUID]) {
            self.template = template
            self.newID = newID
            self.values = values
        }
    }

    /// A short name, used for folders and benchmark names: `gdrive`, `synthetic-10k`.
    public let name: String
    /// One line saying what the workload is and how it was generated.
    public let summary: String
    /// The static policies and templates, in Cedar syntax.
    public let policyText: String
    /// The template links, in the order they are made.
    public let links: [Link]
    /// The entities, in a deterministic order.
    public let entities: [Entity]
    /// The requests, in the order they are timed.
    public let requests: [Request]

    /// Creates a workload.
    public init(
        name: String, summary: String, policyText: String, links: [Link] = [], entities: [Entity],
        requests: [Request]
    ) {
        self.name = name
        self.summary = summary
        self.policyText = policyText
        self.links = links
        self.entities = entities
        self.requests = requests
    }

    /// Parses the policy text and makes the links. Policies keep their positional ids
    /// (`policy0`, …), as Rust Cedar's parser assigns them.
    public func policySet() throws(WorkloadError) -> PolicySet {
        var set: PolicySet
        do {
            set = try PolicySet(PolicyParser.parsePolicies(policyText))
        } catch {
            throw WorkloadError(.invalidPolicies, "the policies of workload `\(name)` are invalid: \(error)")
        }
        var templateByAnnotation: [String: PolicyID] = [:]
        for template in set.templates {
            if let annotation = template.annotation("id") { templateByAnnotation[annotation] = template.id }
        }
        for link in links {
            guard let templateID = templateByAnnotation[link.template] else {
                throw WorkloadError(
                    .invalidLink, "workload `\(name)` has no template annotated `@id(\"\(link.template)\")`")
            }
            do {
                try set.link(template: templateID, as: link.newID, values: link.values)
            } catch {
                throw WorkloadError(.invalidLink, "link `\(link.newID)` of workload `\(name)`: \(error)")
            }
        }
        return set
    }

    /// The entity store, with its hierarchy closed.
    public func entityStore() -> Entities {
        Entities(entities)
    }
}
