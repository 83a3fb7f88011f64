import ArgumentParser

/// `writ serve --audit on|off`: whether decisions and events are recorded in the
/// audit log. `off` exists to measure what auditing costs and for throwaway setups;
/// a served decision is then recorded nowhere.
enum AuditSwitch: String, ExpressibleByArgument, Sendable {
    case on
    case off

    /// Printed to standard error when `writ serve` starts with `--audit off`.
    static let offWarning = """
        warning: --audit off: decisions and events are NOT recorded in the audit log. \
        Use this only for benchmarks and throwaway setups, never in production.
        """
}
