extension Schema {
    /// Reads and resolves a schema in Cedar's human format (`.cedarschema`).
    ///
    /// Errors carry the line and column of the offending text.
    public init(cedarSchema text: String) throws(SchemaError) {
        self = try SchemaFragment.parse(cedarSchema: text).resolve()
    }

    /// Reads and resolves a schema in Cedar's JSON format (`.cedarschema.json`).
    ///
    /// Errors carry the JSON path of the offending value, or the line and column of
    /// text that is not JSON.
    public init(json text: String) throws(SchemaError) {
        self = try SchemaFragment.parse(json: text).resolve()
    }
}
