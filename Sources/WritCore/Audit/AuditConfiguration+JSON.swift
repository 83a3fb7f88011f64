import Cedar

extension AuditConfiguration {
    /// Reads the sensitive values of an `audit.json` document:
    ///
    /// ```json
    /// {"sensitive": [{"resource": "Writ::Tool::\"pay\"", "action": "Writ::Action::\"pay\"", "path": ["input", "card"]}]}
    /// ```
    ///
    /// `resource` and `action` (Cedar uids) are optional; `path` is required and not empty.
    /// - Throws: a request error naming `file` and the member: `.invalidRequest` for a
    ///   bad document, `.wrongType`, `.missingField`, `.duplicateKey`.
    public static func sensitiveValues(_ bytes: [UInt8], file: String = "audit.json") throws(WritError) -> [SensitiveValue] {
        let document: JSON
        do {
            document = try JSON.parse(bytes, limits: JSONLimits(maxDepth: 8, maxBytes: 1 << 20))
        } catch {
            throw WritError.fromJSON(error, what: file)
        }
        func fail(_ code: WritError.Code, _ message: String) -> WritError { WritError(code, "\(file): \(message)") }
        guard case .object(let root) = document else { throw fail(.wrongType, "the document must be an object") }
        if let unknown = root.keys.first(where: { !$0.scalarsEqual("sensitive") }) {
            throw fail(.invalidRequest, "unknown member `\(unknown)`; expected `sensitive`")
        }
        guard let list = root["sensitive"] else { return [] }
        guard case .array(let items) = list else { throw fail(.wrongType, "`sensitive` must be an array") }
        var rules: [SensitiveValue] = []
        for (index, item) in items.enumerated() {
            let place = "`sensitive[\(index)]`"
            guard case .object(let rule) = item else { throw fail(.wrongType, "\(place) must be an object") }
            if let unknown = rule.keys.first(where: { key in !["resource", "action", "path"].contains { $0.scalarsEqual(key) } }) {
                throw fail(.invalidRequest, "\(place) has an unknown member `\(unknown)`")
            }
            func text(_ key: String) throws(WritError) -> String? {
                guard let value = rule[key] else { return nil }
                guard case .string(let string) = value else { throw fail(.wrongType, "\(place).\(key) must be a string") }
                return string
            }
            guard case .array(let steps)? = rule["path"], !steps.isEmpty else {
                throw fail(.missingField, "\(place).path must be a non-empty array of member names")
            }
            var path: [String] = []
            for step in steps {
                guard case .string(let name) = step else { throw fail(.wrongType, "\(place).path must hold strings") }
                path.append(name)
            }
            rules.append(SensitiveValue(resource: try text("resource"), action: try text("action"), path: path))
        }
        return rules
    }
}
