import Cedar
import Foundation

/// A policy set checked and compiled, ready to decide: the result of
/// `PolicySetCompiler.compile(files:schema:)`.
///
/// Its parts sit behind one reference: a set is handed to every decision (a task's
/// mandate, the organisation's set narrowed for a filter), and copying the parts
/// themselves retained some twenty references. Each part is read in place.
public struct CompiledPolicySet: Sendable {
    private let parts: Parts

    public var policies: PolicySet { _read { yield parts.policies } }
    /// The resolved schema; nil when the set is served without one.
    public var schema: Schema? { _read { yield parts.schema } }
    /// Which file each policy came from, for messages.
    public var fileOfPolicy: [PolicyID: String] { _read { yield parts.fileOfPolicy } }
    /// Warnings the validator reported (errors stop compilation).
    public var warnings: [WritError.Detail] { _read { yield parts.warnings } }
    /// The redactions permit policies declare (`@redact_fields`, `@redact_text`), by
    /// policy id; an allow carries those of the policies that decided it.
    public var redactions: [PolicyID: Redaction] { _read { yield parts.redactions } }
    /// The forbids marked `@approvable("…")`, with the text a person sees, by policy id.
    public var approvable: [PolicyID: String] { _read { yield parts.approvable } }
    var authorizer: Authorizer { _read { yield parts.authorizer } }
    /// The set without its approvable forbids: what decides once a person approved.
    var waived: Authorizer? { _read { yield parts.waived } }
    /// The policies whose conditions may read what a task's decisions change:
    /// `context.task` (its counters and labels) or an entity's tags (the task's
    /// history entity), as `Policy.mayReadContext(_:)` and `mayReadTags` find them.
    var taskReaders: Set<PolicyID> { _read { yield parts.taskReaders } }

    init(
        policies: PolicySet, schema: Schema?, fileOfPolicy: [PolicyID: String], warnings: [WritError.Detail],
        redactions: [PolicyID: Redaction], approvable: [PolicyID: String], authorizer: Authorizer, waived: Authorizer?,
        taskReaders: Set<PolicyID>
    ) {
        parts = Parts(
            policies: policies, schema: schema, fileOfPolicy: fileOfPolicy, warnings: warnings, redactions: redactions,
            approvable: approvable, authorizer: authorizer, waived: waived, taskReaders: taskReaders)
    }

    /// The parts of a compiled set, shared by every copy of it.
    private final class Parts: Sendable {
        let policies: PolicySet
        let schema: Schema?
        let fileOfPolicy: [PolicyID: String]
        let warnings: [WritError.Detail]
        let redactions: [PolicyID: Redaction]
        let approvable: [PolicyID: String]
        let authorizer: Authorizer
        let waived: Authorizer?
        let taskReaders: Set<PolicyID>

        init(
            policies: PolicySet, schema: Schema?, fileOfPolicy: [PolicyID: String], warnings: [WritError.Detail],
            redactions: [PolicyID: Redaction], approvable: [PolicyID: String], authorizer: Authorizer,
            waived: Authorizer?, taskReaders: Set<PolicyID>
        ) {
            self.policies = policies
            self.schema = schema
            self.fileOfPolicy = fileOfPolicy
            self.warnings = warnings
            self.redactions = redactions
            self.approvable = approvable
            self.authorizer = authorizer
            self.waived = waived
            self.taskReaders = taskReaders
        }
    }

    /// This set deciding only with the policies whose principal and action scopes
    /// `principal` and `action` satisfy in `entities` (`Authorizer.narrowed`): for
    /// many requests that share them, each decided exactly as by the whole set.
    func narrowed(principal: EntityUID, action: EntityUID, in entities: Entities) -> CompiledPolicySet {
        CompiledPolicySet(
            policies: policies, schema: schema, fileOfPolicy: fileOfPolicy, warnings: warnings, redactions: redactions,
            approvable: approvable, authorizer: authorizer.narrowed(principal: principal, action: action, in: entities),
            waived: waived?.narrowed(principal: principal, action: action, in: entities), taskReaders: taskReaders)
    }

    /// Whether a policy this set decides with may read `context.task` or tags: when
    /// none may, decisions inside a task do not depend on what the task has done.
    var readsTask: Bool {
        guard !taskReaders.isEmpty else { return false }
        return authorizer.policyIDs.contains(where: taskReaders.contains)
            || (waived?.policyIDs.contains(where: taskReaders.contains) ?? false)
    }
}

/// Turns policy files and a schema into a `CompiledPolicySet`, or explains, with
/// file:line:column, why it cannot: the only way text becomes an active policy set.
public enum PolicySetCompiler {
    /// Parses every file (Cedar text, or Cedar's JSON policy format for names ending
    /// in `.json`), gives each policy its id (`@id("…")`, else `policyN` by position
    /// across all files), resolves the schema and validates the policies against it.
    public static func compile(files: [SourceFile], schema source: SchemaSource?) throws(WritError) -> CompiledPolicySet {
        try compile(files: files, resolvedSchema: try source.map { s throws(WritError) in try resolveSchema(s) })
    }

    /// As `compile(files:schema:)`, against a schema already resolved (nil: parse
    /// only, without validation).
    public static func compile(files: [SourceFile], resolvedSchema schema: Schema?) throws(WritError) -> CompiledPolicySet {
        var set = PolicySet()
        var fileOfPolicy: [PolicyID: String] = [:]
        var redactions: [PolicyID: Redaction] = [:]
        var approvable: [PolicyID: String] = [:]
        var waivedSet = PolicySet()
        var position = 0
        for file in files {
            for var policy in try parse(file) {
                if let id = policy.annotation("id") {
                    policy.id = id
                } else {
                    policy.id = "policy\(position)"
                }
                position += 1
                if let earlier = fileOfPolicy[policy.id] {
                    throw WritError(
                        .invalidPolicySet,
                        "policy id `\(policy.id)` is used twice: in \(earlier) and in \(file.name)",
                        details: [detail(file: file.name, span: policy.span, code: "duplicate_policy_id",
                                         message: "duplicate policy id `\(policy.id)`", policyID: policy.id)])
                }
                do {
                    try set.add(policy)
                } catch {
                    throw WritError(.invalidPolicySet, "\(file.name): \(error.message)")
                }
                fileOfPolicy[policy.id] = file.name
                do {
                    redactions[policy.id] = try Redaction.declared(by: policy)
                } catch {
                    let at = policy.span.map { ":\($0.start.line):\($0.start.column)" } ?? ""
                    throw WritError(
                        .invalidPolicySet, "\(file.name)\(at): policy `\(policy.id)`: \(error.message)",
                        details: [detail(file: file.name, span: policy.span, code: "invalid_redaction",
                                         message: error.message, policyID: policy.id)])
                }
                if let text = policy.annotation(approvableAnnotation) {
                    let at = policy.span.map { ":\($0.start.line):\($0.start.column)" } ?? ""
                    let problem: String? =
                        policy.effect != .forbid
                        ? "`@\(approvableAnnotation)` is only meaningful on a forbid policy; a permit needs no approval"
                        : text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                            ? "`@\(approvableAnnotation)` needs the text a person approving sees" : nil
                    if let problem {
                        throw WritError(
                            .invalidPolicySet, "\(file.name)\(at): policy `\(policy.id)`: \(problem)",
                            details: [detail(file: file.name, span: policy.span, code: "invalid_approvable",
                                             message: problem, policyID: policy.id)])
                    }
                    approvable[policy.id] = text
                } else {
                    try? waivedSet.add(policy)
                }
            }
        }
        var warnings: [WritError.Detail] = []
        if let schema {
            let result = Validator(schema: schema).validate(set)
            let details = result.diagnostics.map { d in
                detail(file: fileOfPolicy[d.policyID] ?? "?", span: d.span, code: d.code.rawValue,
                       message: d.message, policyID: d.policyID)
            }
            if !result.passed {
                let errors = zip(result.diagnostics, details).filter { $0.0.severity == .error }.map(\.1)
                throw WritError(
                    .policyValidationError,
                    "\(errors.count) policy validation error\(errors.count == 1 ? "" : "s") against the schema",
                    details: errors)
            }
            warnings = details
        }
        return CompiledPolicySet(
            policies: set, schema: schema, fileOfPolicy: fileOfPolicy, warnings: warnings,
            redactions: redactions, approvable: approvable, authorizer: Authorizer(set),
            waived: approvable.isEmpty ? nil : Authorizer(waivedSet),
            taskReaders: Set(set.policies.filter { $0.mayReadContext("task") || $0.mayReadTags }.map(\.id)))
    }

    /// The annotation that marks a forbid as one a person may lift for one request.
    public static let approvableAnnotation = "approvable"

    /// Parses and resolves a schema, with errors placed in its file.
    public static func resolveSchema(_ source: SchemaSource) throws(WritError) -> Schema {
        do {
            switch source.format {
            case .cedar: return try Schema(cedarSchema: source.file.text)
            case .json: return try Schema(json: source.file.text)
            }
        } catch {
            var location = WritError.Location(file: source.file.name)
            var message = error.message
            switch error.location {
            case .text(let at)?:
                location.line = at.line
                location.column = at.column
            case .json(let path)?:
                message += " (at \(path))"
            case nil:
                break
            }
            throw WritError(
                .schemaError, "\(location): \(message)",
                details: [WritError.Detail(code: error.code.rawValue, message: message, location: location)])
        }
    }

    private static func parse(_ file: SourceFile) throws(WritError) -> [Policy] {
        if file.name.hasSuffix(".json") {
            do {
                let document = try PolicyJSON.decodePolicySet(file.text)
                guard document.templates.isEmpty, document.templateLinks.isEmpty else {
                    throw WritError(.invalidPolicySet, "\(file.name): templates are not served yet; link them into static policies")
                }
                return document.staticPolicies
            } catch let error as WritError {
                throw error
            } catch {
                throw WritError(.policyParseError, "\(file.name): \(error)")
            }
        }
        do {
            let policies = try PolicyParser.parsePolicies(file.text)
            if let template = policies.first(where: \.isTemplate) {
                throw WritError(
                    .invalidPolicySet, "\(file.name):\(template.span?.start.description ?? "?"): templates are not served yet",
                    details: [detail(file: file.name, span: template.span, code: "template_not_served",
                                     message: "templates are not served yet", policyID: template.id)])
            }
            return policies
        } catch let error as WritError {
            throw error
        } catch let error as ParseError {
            let location = WritError.Location(file: file.name, line: error.location.line, column: error.location.column)
            throw WritError(
                .policyParseError, "\(location): \(error.message)",
                details: [WritError.Detail(code: error.code.rawValue, message: error.message, location: location)])
        } catch {
            throw WritError(.policyParseError, "\(file.name): \(error)")
        }
    }

    private static func detail(
        file: String, span: SourceSpan?, code: String, message: String, policyID: PolicyID
    ) -> WritError.Detail {
        WritError.Detail(
            code: code, message: message,
            location: WritError.Location(file: file, line: span?.start.line, column: span?.start.column),
            policyID: policyID)
    }
}
