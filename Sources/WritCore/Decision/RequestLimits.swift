import Cedar

/// Limits on what one request or document may hold. Anything past a limit is a
/// clear 4xx error, never a crash or unbounded memory.
public struct RequestLimits: Sendable, Equatable {
    /// The largest request body, in bytes (HTTP 413 above it).
    public var maxBodyBytes: Int
    /// The deepest JSON nesting accepted in a request.
    public var maxJSONDepth: Int
    /// The most items in one `evaluations` batch.
    public var maxBatchItems: Int
    /// The largest management document (policies, schema, entities), in bytes.
    public var maxDocumentBytes: Int
    /// The most results one search page returns (the default page size too).
    public var maxSearchPageSize: Int
    /// The most candidate resources in one `POST /v1/filter` request (HTTP 413 above it).
    public var maxFilterCandidates: Int

    public init(
        maxBodyBytes: Int = 1 << 20, maxJSONDepth: Int = 64, maxBatchItems: Int = 1_000,
        maxDocumentBytes: Int = 16 << 20, maxSearchPageSize: Int = 1_000, maxFilterCandidates: Int = 10_000
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.maxJSONDepth = maxJSONDepth
        self.maxBatchItems = maxBatchItems
        self.maxDocumentBytes = maxDocumentBytes
        self.maxSearchPageSize = maxSearchPageSize
        self.maxFilterCandidates = maxFilterCandidates
    }

    /// JSON limits for requests.
    public var requestJSON: JSONLimits { JSONLimits(maxDepth: maxJSONDepth, maxBytes: maxBodyBytes) }
    /// JSON limits for management documents.
    public var documentJSON: JSONLimits { JSONLimits(maxDepth: 127, maxBytes: maxDocumentBytes) }
}
