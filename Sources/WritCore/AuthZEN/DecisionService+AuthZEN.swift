import Cedar

extension DecisionService {
    /// Answers one OpenID AuthZEN 1.0 request: `body` is the JSON request, the result
    /// the JSON response and the decisions it carries. docs/AUTHZEN.md describes the
    /// mapping onto Cedar and every response member.
    ///
    /// The body is read strictly, within `configuration.limits`: a duplicate key is
    /// `.duplicateKey`, nesting past the limit `.tooDeep`, a body that is not a JSON
    /// object `.wrongType`, a missing required member `.missingField` and a member of
    /// the wrong type `.wrongType` — each naming the member's path
    /// (`evaluations[3].resource.type`). Unknown members are ignored and `context` is
    /// optional. A denial is a response, not an error: an action or entity type the
    /// schema does not declare gives `"decision": false` with the reason in `context`.
    ///
    /// - Throws: `.notReady` when no policy set is loaded, or a request error (HTTP
    ///   400, 413 for `.tooLarge`).
    public func authzen(_ operation: AuthZENOperation, body: [UInt8]) throws(WritError) -> AuthZENOutcome {
        let engine = try engine()
        let json: JSON
        do {
            json = try JSON.parse(body, limits: configuration.limits.requestJSON)
        } catch {
            throw WritError.fromJSON(error, what: "request body")
        }
        let request = try AuthZENObject(json, at: .root)
        let evaluator = AuthZENEvaluator(engine: engine, mapping: configuration.authzen)
        switch operation {
        case .evaluation:
            return try evaluator.evaluation(request)
        case .evaluations:
            return try evaluator.evaluations(request, maxItems: configuration.limits.maxBatchItems)
        case .subjectSearch, .resourceSearch, .actionSearch:
            let page = try AuthZENPage(
                request, operation: operation, maxPageSize: configuration.limits.maxSearchPageSize,
                policySetVersion: engine.version.version)
            let (pageJSON, results) = page.respond(try evaluator.searchResults(operation, request))
            let response = JSON.object(JSONObject(uniqueMembers: [
                (key: "page", value: pageJSON),
                (key: "context", value: .object(JSONObject(uniqueMembers: AuthZENResponse.versionMembers(engine)))),
                (key: "results", value: .array(results)),
            ]))
            return AuthZENOutcome(body: response.encodedBytes(), decisions: [])
        }
    }
}
