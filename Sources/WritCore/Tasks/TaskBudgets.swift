/// Limits on what a task — together with the tasks delegated from it — may use.
/// Every limit counts allowed decisions only, and is checked and charged atomically
/// with the decision; nil or absent means no limit of that kind.
///
/// Actions are named by their id (`mail___send_email` for
/// `Writ::Action::"mail___send_email"`). Dictionary keys are compared as Swift
/// strings, so two action ids that differ only in Unicode normalisation share a limit
/// and a counter: that can only deny more, never allow more.
public struct TaskBudgets: Sendable, Equatable, Codable {
    /// The most decisions that may be allowed.
    public var maxDecisions: Int?
    /// The most decisions of each named action that may be allowed.
    public var maxCalls: [String: Int]
    /// A ceiling on the sum of one numeric argument of each named action.
    public var spend: [String: SpendCeiling]

    public init(maxDecisions: Int? = nil, maxCalls: [String: Int] = [:], spend: [String: SpendCeiling] = [:]) {
        self.maxDecisions = maxDecisions
        self.maxCalls = maxCalls
        self.spend = spend
    }

    /// True when no limit is set.
    public var isEmpty: Bool { maxDecisions == nil && maxCalls.isEmpty && spend.isEmpty }
}

/// A ceiling on the sum of a numeric argument of one action: the `Long` at
/// `context.input.<argument>` of each allowed decision (`amount` of
/// `payments___refund`). A decision whose argument is missing, not a `Long`, or
/// negative is denied.
public struct SpendCeiling: Sendable, Equatable, Codable {
    /// The member of `context.input` that is summed.
    public var argument: String
    /// The largest sum that may be allowed.
    public var ceiling: Int64

    public init(argument: String, ceiling: Int64) {
        self.argument = argument
        self.ceiling = ceiling
    }
}
