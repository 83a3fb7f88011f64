import ArgumentParser

/// `writ task …`: open, delegate, close, show and list tasks, on a running server or
/// on the data directory.
struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Open, delegate, close, show and list tasks (docs/TASKS.md).",
        discussion: """
            With --server URL, each verb asks a running Writ server, with the API key from \
            --key or $WRIT_API_KEY (a key with the `tasks` scope). Without it, the verb works \
            on the data directory (--data, default ./writ-data) in this process: use it when \
            no server runs, or beside one — a server on the same directory sees tasks opened \
            or closed this way at once. Credentials minted either way carry the issuer \
            `writ serve` recorded in DIR/issuer, so they verify on that server, before or \
            after it starts. Exits 1 on bad input or any refusal, naming the cause.
            """,
        subcommands: [TaskOpen.self, TaskDelegate.self, TaskClose.self, TaskShow.self, TaskList.self]
    )
}
