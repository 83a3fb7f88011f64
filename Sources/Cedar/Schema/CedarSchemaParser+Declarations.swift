/// The declarations of the human schema format: namespaces, entity types, actions
/// and common types.
extension CedarSchemaParser {
    /// `Schema := {Annotation* (Namespace | Decl)}`
    func parseDocument() throws(SchemaError) -> Document {
        var namespaces: [Document.Namespace] = []
        var afterNamespace = false
        while current.kind != .end {
            let annotations = try parseAnnotations()
            if at("namespace") {
                namespaces.append(try parseNamespace(annotations: annotations))
                afterNamespace = true
                continue
            }
            guard at("entity") || at("action") || at("type") else {
                let hint =
                    afterNamespace && annotations.isEmpty && current.kind == .semicolon
                    ? "a namespace is not followed by `;`; try removing this semicolon" : nil
                throw unexpected(expected: "`namespace`, `entity`, `action` or `type`", hint: hint)
            }
            let declaration = try parseDeclaration(annotations: annotations)
            namespaces.append(Document.Namespace(name: nil, annotations: .init(), declarations: [declaration]))
            afterNamespace = false
        }
        return Document(namespaces: namespaces)
    }

    /// `Namespace := 'namespace' Path '{' {Annotation* Decl} '}'`
    private func parseNamespace(annotations: SchemaFragment.Annotations) throws(SchemaError) -> Document.Namespace {
        try advance()
        let path = try parsePath()
        try expect(.leftBrace, "`{`")
        var declarations: [Document.Declaration] = []
        while current.kind != .rightBrace {
            let annotations = try parseAnnotations()
            guard at("entity") || at("action") || at("type") else {
                throw unexpected(expected: "`entity`, `action`, `type` or `}`")
            }
            declarations.append(try parseDeclaration(annotations: annotations))
        }
        try advance()
        let name = Document.Spelling(text: path.text, location: path.location.position ?? current.start)
        return Document.Namespace(name: name, annotations: annotations, declarations: declarations)
    }

    /// `Decl := Entity | Action | TypeDecl`, with `current` at its keyword.
    private func parseDeclaration(annotations: SchemaFragment.Annotations) throws(SchemaError) -> Document.Declaration {
        let location = current.start
        let kind: Document.Declaration.Kind
        if at("entity") {
            kind = try parseEntity()
        } else if at("action") {
            kind = try parseAction()
        } else {
            kind = try parseCommonType()
        }
        return Document.Declaration(kind: kind, annotations: annotations, location: location)
    }

    /// `Entity := 'entity' Idents ['in' EntTypes] [['='] RecType] ['tags' Type] ';'
    ///          | 'entity' Idents 'enum' '[' STR {',' STR} ']' ';'`
    private func parseEntity() throws(SchemaError) -> Document.Declaration.Kind {
        try advance()
        var names = [try parseIdentifier(as: "an entity type name")]
        while current.kind == .comma {
            try advance()
            names.append(try parseIdentifier(as: "an entity type name"))
        }
        if at("enum") {
            try advance()
            try expect(.leftBracket, "`[`")
            var choices = [try parseString()]
            while current.kind == .comma {
                try advance()
                choices.append(try parseString())
            }
            try expect(.rightBracket, "`,` or `]`")
            try expect(.semicolon, "`;`")
            return .enumeration(names: names, choices: choices)
        }
        var memberOfTypes: [SchemaFragment.Name] = []
        if at("in") {
            try advance()
            memberOfTypes = try parseEntityTypes()
        }
        var shape = SchemaFragment.TypeExpr.emptyRecord
        if current.kind == .equal {
            try advance()
            shape = .record(try parseRecord())
        } else if current.kind == .leftBrace {
            shape = .record(try parseRecord())
        }
        var tags: SchemaFragment.TypeExpr?
        if at("tags") {
            try advance()
            tags = try parseType()
        }
        guard current.kind == .semicolon else {
            throw unexpected(expected: tags == nil ? "`in`, `=`, `{`, `tags`, `enum` or `;`" : "`;`")
        }
        try advance()
        return .entity(names: names, memberOfTypes: memberOfTypes, shape: shape, tags: tags)
    }

    /// `Action := 'action' Names ['in' QualNameOrQualNames]
    ///            ['appliesTo' '{' AppDecls '}'] ['attributes' '{' '}'] ';'`
    private func parseAction() throws(SchemaError) -> Document.Declaration.Kind {
        try advance()
        var names = [try parseName(as: "an action name")]
        while current.kind == .comma {
            try advance()
            names.append(try parseName(as: "an action name"))
        }
        var memberOf: [SchemaFragment.Action.Reference]?
        if at("in") {
            try advance()
            memberOf = try parseActionReferences()
        }
        var appliesTo: [Document.AppliesTo]?
        if at("appliesTo") {
            try advance()
            try expect(.leftBrace, "`{`")
            appliesTo = try parseAppliesTo()
            try expect(.rightBrace, "`,` or `}`")
        }
        // Rust Cedar accepts an empty `attributes {}` and ignores it.
        if at("attributes") {
            try advance()
            try expect(.leftBrace, "`{`")
            try expect(.rightBrace, "`}`")
        }
        guard current.kind == .semicolon else {
            let hint =
                current.kind == .leftBrace && appliesTo == nil
                ? "action declarations require `appliesTo` before the `{ ... }` block" : nil
            throw unexpected(expected: "`in`, `appliesTo`, `attributes` or `;`", hint: hint)
        }
        try advance()
        return .action(names: names, memberOf: memberOf, appliesTo: appliesTo)
    }

    /// `TypeDecl := 'type' Ident '=' Type ';'`
    private func parseCommonType() throws(SchemaError) -> Document.Declaration.Kind {
        try advance()
        let name = try parseIdentifier(as: "a common type name")
        try expect(.equal, "`=`")
        let type = try parseType()
        try expect(.semicolon, "`;`")
        return .commonType(name: name, type: type)
    }

    /// `AppDecls := AppDecl {',' AppDecl} [',']` where
    /// `AppDecl := ('principal' | 'resource') ':' EntTypes | 'context' ':' (Path | RecType)`.
    private func parseAppliesTo() throws(SchemaError) -> [Document.AppliesTo] {
        var entries: [Document.AppliesTo] = []
        repeat {
            let location = current.start
            let kind: Document.AppliesTo.Kind
            if at("principal") || at("resource") {
                let isPrincipal = at("principal")
                try advance()
                try expect(.colon, "`:`")
                let types = try parseEntityTypes()
                kind = isPrincipal ? .principal(types) : .resource(types)
            } else if at("context") {
                try advance()
                try expect(.colon, "`:`")
                kind =
                    current.kind == .leftBrace
                    ? .context(.record(try parseRecord())) : .context(.commonType(try parsePath()))
            } else {
                throw unexpected(
                    expected: entries.isEmpty
                        ? "`principal`, `resource` or `context`" : "`principal`, `resource`, `context` or `}`")
            }
            entries.append(Document.AppliesTo(kind: kind, location: location))
            guard current.kind == .comma else { break }
            try advance()
        } while current.kind != .rightBrace
        return entries
    }

    /// `QualNameOrQualNames := QualName | '[' QualName {',' QualName} ']'`
    private func parseActionReferences() throws(SchemaError) -> [SchemaFragment.Action.Reference] {
        guard current.kind == .leftBracket else { return [try parseActionReference()] }
        try advance()
        var references = [try parseActionReference()]
        while current.kind == .comma {
            try advance()
            references.append(try parseActionReference())
        }
        try expect(.rightBracket, "`,` or `]`")
        return references
    }

    /// `QualName := Name | Path '::' STR`
    private func parseActionReference() throws(SchemaError) -> SchemaFragment.Action.Reference {
        let location = SchemaFragment.Location(current.start)
        if current.kind == .string {
            return SchemaFragment.Action.Reference(id: try parseString(), type: nil, location: location)
        }
        let first = try parseIdentifier(as: "an action name")
        guard current.kind == .doubleColon else {
            return SchemaFragment.Action.Reference(id: first.text, type: nil, location: location)
        }
        var path = first.text
        while current.kind == .doubleColon {
            try advance()
            if current.kind == .string {
                let type = SchemaFragment.Name(text: path, location: location)
                return SchemaFragment.Action.Reference(id: try parseString(), type: type, location: location)
            }
            path += "::" + (try parseIdentifier(as: "a name or an action id string")).text
        }
        throw unexpected(expected: "`::` followed by the action's id string")
    }
}
