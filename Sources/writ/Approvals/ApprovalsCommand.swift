import ArgumentParser

/// `writ approvals …`: list, approve and refuse approvals, on a running server or on
/// the data directory.
struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List, approve and refuse the approvals policies ask for (docs/APPROVALS.md).",
        discussion: """
            With --server URL, each verb asks a running Writ server, with the API key from \
            --key or $WRIT_API_KEY (a key with the `approve` scope). Without it, the verb works \
            on the data directory (--data, default ./writ-data) in this process; a server on \
            the same directory grants what is approved here at once. Each approval is decided \
            once: exits 1 when it was already decided, has expired or is unknown.
            """,
        subcommands: [ApprovalsList.self, ApprovalsApprove.self, ApprovalsRefuse.self]
    )
}
