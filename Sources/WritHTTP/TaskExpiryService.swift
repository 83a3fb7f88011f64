import ServiceLifecycle
import WritCore

/// Ends expired tasks every `interval` while the server runs: `TaskService.sweep()`
/// records and drops them from memory (decisions in them are already denied by their
/// expiry); and, with `approvals`, records the approvals that expired
/// (`ApprovalService.sweep()`).
struct TaskExpiryService: Service {
    let tasks: TaskService?
    let approvals: ApprovalService?
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                // A sweep whose records cannot be written forgets nothing; the next one retries.
                _ = try? await tasks?.sweep()
                _ = try? await approvals?.sweep()
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
            }
        }
    }
}
