import Cedar
import Foundation
import Synchronization

extension TaskService {
    /// The live task a credential stands for: the credential verifies, names `agent`
    /// (when given) as its subject, and its task and every task it was delegated from
    /// are held, open and unexpired now. Otherwise why not (`no_task`,
    /// `task_closed`, `task_expired`).
    ///
    /// This is the first step of every decision about an agent, and what an enforcing
    /// point (a gateway) can ask to refuse a dead credential before it forwards
    /// anything. It reads memory only: no store access, no policy evaluation.
    public func liveTask(credential: String, agent: String? = nil) -> Result<TaskRecord, TaskDenial> {
        let identity: TaskCredentialIdentity
        switch identify(credential: credential) {
        case .success(let verified): identity = verified
        case .failure(let denial): return .failure(denial)
        }
        if let agent, !agent.scalarsEqual(identity.agent) {
            return .failure(TaskDenial(
                .noTask, "the task credential is for agent `\(identity.agent)`, not `\(agent)`", taskID: identity.taskID))
        }
        let now = now()
        return registry.withLock { $0.chain(of: identity.taskID, agent: identity.agent, now: now) }.map { $0[0].record }
    }
}
