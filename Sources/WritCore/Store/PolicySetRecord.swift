import Foundation

/// A named piece of text: one policy file or the schema.
public struct SourceFile: Sendable, Equatable, Codable {
    /// The file name, used in error locations (`todo.cedar:3:14`).
    public var name: String
    public var text: String
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// The format of a schema file.
public enum SchemaFormat: String, Sendable, Equatable, Codable {
    /// The human-readable `.cedarschema` format.
    case cedar
    /// The JSON schema format.
    case json
}

/// A schema as stored: its format and text.
public struct SchemaSource: Sendable, Equatable, Codable {
    public var format: SchemaFormat
    public var file: SourceFile
    public init(format: SchemaFormat, file: SourceFile) {
        self.format = format
        self.file = file
    }
}

/// What a writer submits to become the next policy set version. Writ checks it
/// (parse, schema, validation) before a store ever sees it.
public struct PolicySetDraft: Sendable, Equatable {
    /// The policy files, in order. Policy ids come from `@id("…")` annotations, or
    /// are `policyN` by position across all files.
    public var files: [SourceFile]
    /// The schema the policies are validated against; `nil` serves without one.
    public var schema: SchemaSource?
    /// Who made the change (an API key name, or `cli` / `bootstrap`).
    public var author: String
    /// Why, in the author's words.
    public var comment: String?
    public init(files: [SourceFile], schema: SchemaSource?, author: String, comment: String? = nil) {
        self.files = files
        self.schema = schema
        self.author = author
        self.comment = comment
    }

    /// A SHA-256 digest (lowercase hex) of the content — files and schema, not the
    /// author or comment — so two versions with the same content have the same digest.
    public var digest: String { ContentDigest.of(files: files, schema: schema) }
}

/// One stored version of the policy set. Versions are never changed or deleted: a
/// rollback appends a new version with an old version's content.
public struct PolicySetRecord: Sendable, Equatable {
    /// 1, 2, 3 … in the order they were stored.
    public var version: Int
    public var files: [SourceFile]
    public var schema: SchemaSource?
    public var author: String
    public var comment: String?
    /// When the store accepted it.
    public var createdAt: Date
    /// See `PolicySetDraft.digest`.
    public var digest: String

    public init(
        version: Int, files: [SourceFile], schema: SchemaSource?, author: String,
        comment: String?, createdAt: Date, digest: String
    ) {
        self.version = version
        self.files = files
        self.schema = schema
        self.author = author
        self.comment = comment
        self.createdAt = createdAt
        self.digest = digest
    }

    /// The record without its text, for listings.
    public var summary: PolicySetSummary {
        PolicySetSummary(version: version, author: author, comment: comment, createdAt: createdAt, digest: digest)
    }
}

/// A version in the policy set history, without its text.
public struct PolicySetSummary: Sendable, Equatable {
    public var version: Int
    public var author: String
    public var comment: String?
    public var createdAt: Date
    public var digest: String
    public init(version: Int, author: String, comment: String?, createdAt: Date, digest: String) {
        self.version = version
        self.author = author
        self.comment = comment
        self.createdAt = createdAt
        self.digest = digest
    }
}
