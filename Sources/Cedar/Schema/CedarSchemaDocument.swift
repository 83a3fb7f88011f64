/// `.cedarschema` text as parsed, before the checks that turn it into a
/// `SchemaFragment` (Rust Cedar's `cedar_schema::ast`): declarations keep their
/// lists of names and their `appliesTo` entries as written, so duplicates and gaps
/// can be reported where they are.
///
/// Types are already in the fragment's form: a name is `entityOrCommon`, and a
/// context written as a name is `commonType`.
struct CedarSchemaDocument: Sendable {
    typealias Annotations = SchemaFragment.Annotations
    typealias TypeExpr = SchemaFragment.TypeExpr

    /// A name, string or path as written, with where it starts.
    struct Spelling: Sendable {
        var text: String
        var location: SourceLocation
    }

    /// `namespace NS { ... }`, or one declaration outside any namespace (then `name`
    /// is nil and it has no annotations of its own).
    struct Namespace: Sendable {
        var name: Spelling?
        var annotations: Annotations
        var declarations: [Declaration]
    }

    struct Declaration: Sendable {
        enum Kind: Sendable {
            /// `entity A, B in [P] = { ... } tags T;`
            case entity(names: [Spelling], memberOfTypes: [SchemaFragment.Name], shape: TypeExpr, tags: TypeExpr?)
            /// `entity A, B enum ["x", "y"];`
            case enumeration(names: [Spelling], choices: [String])
            /// `action "a", b in [g] appliesTo { ... };`
            case action(names: [Spelling], memberOf: [SchemaFragment.Action.Reference]?, appliesTo: [AppliesTo]?)
            /// `type T = ...;`
            case commonType(name: Spelling, type: TypeExpr)
        }

        var kind: Kind
        var annotations: Annotations
        /// Where the declaration's keyword is.
        var location: SourceLocation
    }

    /// One entry of an action's `appliesTo { ... }`.
    struct AppliesTo: Sendable {
        enum Kind: Sendable {
            case principal([SchemaFragment.Name])
            case resource([SchemaFragment.Name])
            case context(TypeExpr)
        }

        var kind: Kind
        /// Where the entry's keyword is.
        var location: SourceLocation
    }

    var namespaces: [Namespace]
}
