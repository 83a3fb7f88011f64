import ServiceLifecycle
import WritCore

/// Ends expired tasks every `interval` while the server runs: `TaskService.sweep()`
/// records and drops them from memory (decisions in them are already denied by their expiry).
struct TaskExpiryService: Service {
    let tasks: TaskService
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                // A sweep whose records cannot be written forgets nothing; the next one retries.
                _ = try? await tasks.sweep()
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
            }
        }
    }
}
