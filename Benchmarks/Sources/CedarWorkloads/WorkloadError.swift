/// Why a workload could not be built: its policy text or links were rejected, or the
/// shared benchmark data could not be found or read.
public struct WorkloadError: Error, Sendable, CustomStringConvertible {
    /// What went wrong; stable across releases.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The shared data folder (the OOPSLA'24 policies and schemas) is missing.
        public static let missingSharedData = Code(rawValue: "missing_shared_data")
        /// A schema file could not be read or decoded.
        public static let invalidSchema = Code(rawValue: "invalid_schema")
        /// The policy text did not parse, or the policy set rejected it.
        public static let invalidPolicies = Code(rawValue: "invalid_policies")
        /// A template link named no template or gave the wrong slots.
        public static let invalidLink = Code(rawValue: "invalid_link")
        /// No workload has the requested name.
        public static let unknownWorkload = Code(rawValue: "unknown_workload")
    }

    /// What kind of error this is.
    public let code: Code
    /// A lowercase message naming the file or input in backticks.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
