import Foundation
import Synchronization
import WritCore

/// Connects a `CredentialKeyRing` to a `TaskService`: mints each task's credential
/// (audience = issuer = the server's identifier, `act` chain = the user, then the
/// agents of the ancestor tasks minted by this process), verifies presented ones and
/// signs close receipts.
///
/// The ancestor agents are remembered in memory only: a task delegated from a parent
/// opened before a restart carries the user alone in its `act` chain. Decisions never
/// read `act`; they use the task record.
public final class TaskCredentialSigner: Sendable {
    /// The key ring signing and verifying.
    public let ring: CredentialKeyRing
    private let chains = Mutex([String: [String]]())

    public init(ring: CredentialKeyRing) {
        self.ring = ring
    }

    /// The longest a signing key stays trusted after it is retired: the longest a task
    /// may live, so every credential it signed verifies until it expires.
    public static let gracePeriod: Duration = .seconds(12 * 3600)

    /// A task service deciding with `decisions`, whose credentials this signer mints
    /// and verifies, recording its lifecycle to `audit`.
    public func taskService(
        decisions: DecisionService, configuration: TaskService.Configuration = .init(),
        now: @escaping @Sendable () -> Date = { Date() }, audit: (any AuditSink)? = nil
    ) -> TaskService {
        TaskService(
            decisions: decisions, configuration: configuration, now: now,
            mint: { [self] task in try mint(task) },
            verify: { [self] token in
                let claims = try ring.verify(token, audience: ring.issuer, now: now())
                return TaskCredentialIdentity(taskID: claims.taskID, agent: claims.agent)
            },
            sign: { [ring] payload in try ring.signDetached(payload) }, audit: audit)
    }

    private func mint(_ task: TaskRecord) throws -> String {
        let chain = chains.withLock { known -> [String] in
            var chain = [task.onBehalfOf]
            if let parent = task.parentID, let parentChain = known[parent] { chain = parentChain }
            known[task.id] = chain + [task.agent]
            return chain
        }
        let claims = TaskCredentialClaims(
            issuer: ring.issuer, agent: task.agent, audience: [ring.issuer], taskID: task.id, onBehalfOf: chain,
            issuedAt: Date(timeIntervalSince1970: task.openedAt.timeIntervalSince1970.rounded(.down)),
            expiresAt: Date(timeIntervalSince1970: task.expiresAt.timeIntervalSince1970.rounded(.down)))
        return try ring.sign(claims)
    }
}
