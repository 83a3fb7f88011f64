import Foundation
import WritCore

/// Issues the credential the gateway sends an upstream that needs one
/// (`--upstream-audience NAME=AUDIENCE`): never the agent's own credential, but one
/// for that upstream's audience alone, inside the agent's task.
public protocol UpstreamCredentialIssuer: Sendable {
    /// A credential for `audience` standing for the task `agentCredential` names.
    /// - Throws: when the agent's credential does not verify, its task is not live, or
    ///   no credential can be signed: the call is then not forwarded.
    func credential(audience: String, agentCredential: String) async throws(UpstreamFailure) -> String
}

/// Credentials issued in process with the data directory's signing keys: the agent's
/// credential is verified, its task must be live, and the issued credential keeps its
/// agent (`sub`), task (`jti`) and `act` chain, with `aud` the upstream's audience
/// alone and a lifetime of at most `lifetime` (never past the agent's credential or its
/// task). Writ does not accept it as a task credential (its audience is not Writ's),
/// so an upstream cannot use it to act in the task through Writ; an audience equal to
/// Writ's own issuer is refused for that reason.
public struct EmbeddedUpstreamCredentials: UpstreamCredentialIssuer {
    public let tasks: TaskService
    public let ring: CredentialKeyRing
    public let lifetime: Duration
    let now: @Sendable () -> Date

    public init(
        tasks: TaskService, ring: CredentialKeyRing, lifetime: Duration = .seconds(300),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.tasks = tasks
        self.ring = ring
        self.lifetime = lifetime
        self.now = now
    }

    public func credential(audience: String, agentCredential: String) async throws(UpstreamFailure) -> String {
        // A credential for Writ's own audience would be a task credential, as strong as
        // the agent's own: an upstream must never be given one.
        guard audience != ring.issuer else {
            throw UpstreamFailure(
                message: "audience `\(audience)` is Writ's own issuer; a credential for it would be a task credential")
        }
        let now = Date(timeIntervalSince1970: self.now().timeIntervalSince1970.rounded(.down))
        let claims: TaskCredentialClaims
        do {
            claims = try ring.verify(agentCredential, audience: ring.issuer, now: now)
        } catch {
            throw UpstreamFailure(message: "the agent's credential does not verify: \(error.code)")
        }
        let task: TaskRecord
        switch tasks.liveTask(credential: agentCredential) {
        case .success(let live): task = live
        case .failure(let denial): throw UpstreamFailure(message: "the agent's task is not live: \(denial.reason)")
        }
        let seconds = Double(lifetime.components.seconds)
        let expiresAt = min(now.addingTimeInterval(seconds), claims.expiresAt, task.expiresAt)
        let issued = TaskCredentialClaims(
            issuer: ring.issuer, agent: claims.agent, audience: [audience], taskID: claims.taskID,
            onBehalfOf: claims.onBehalfOf, issuedAt: now,
            expiresAt: Date(timeIntervalSince1970: expiresAt.timeIntervalSince1970.rounded(.down)))
        do {
            return try ring.sign(issued)
        } catch {
            throw UpstreamFailure(message: "no credential could be signed for audience `\(audience)`: \(error.code)")
        }
    }
}
