import ArgumentParser

/// `writ audit …`: the tamper-evident record of decisions and lifecycle events.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify, query, export and explain the audit log in the data directory.",
        discussion: """
            The log is hash-chained and signed at checkpoints (docs/AUDIT.md). Keep a copy \
            of the checkpoints outside the data directory (`writ serve --audit-checkpoints DIR`) \
            and pass it to `writ audit verify --checkpoints DIR`: then even someone who can \
            rewrite the database and its signing key cannot change the log unnoticed.
            """,
        subcommands: [AuditVerifyCommand.self, AuditQueryCommand.self, AuditExportCommand.self, AuditExplainCommand.self]
    )
}
