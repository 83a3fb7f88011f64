/// How AuthZEN requests map onto Cedar requests. (Filled in by the AuthZEN layer.)
public struct AuthZENMapping: Sendable, Equatable {
    public init() {}
}
