import Cedar

/// The approval steps of an AuthZEN request (docs/APPROVALS.md).
extension DecisionService {
    /// The approvals that grant now, when the policy set has approvable forbids. A
    /// store failure grants nothing.
    func currentGrants(_ approvals: ApprovalService?) async -> [String: ApprovalRecord] {
        guard let approvals, let engine = try? engine(), !engine.compiled.approvable.isEmpty else { return [:] }
        return (try? await approvals.grants()) ?? [:]
    }

    /// Uses the approval behind every allow it granted, before any decision is final:
    /// a single-use approval is consumed by exactly one allow. An allow whose approval
    /// is no longer usable (consumed meanwhile, expired) is a deny again, its task
    /// reservation taken back.
    func use(
        _ approvals: ApprovalService, in answer: inout AuthZENEvaluator.Answer, evaluations: inout [TaskEvaluation],
        tasks: TaskService?
    ) async {
        for index in answer.results.indices {
            guard let grant = answer.results[index].grant, answer.results[index].allowed else { continue }
            if await approvals.use(grant) { continue }
            let denial = TaskDenial(
                .approvalRequired, "the approval of this exact request was used or has expired; a person must approve it again",
                taskID: grant.taskID)
            answer.results[index].grant = nil
            answer.results[index].denial = denial
            if var decision = answer.results[index].decision {
                decision.allowed = false
                decision.reasons = decision.approval?.policies.map(\.policyID) ?? []
                decision.redactions = []
                answer.results[index].decision = decision
            }
            if let place = answer.results[index].taskEvaluation, evaluations.indices.contains(place) {
                tasks?.release([evaluations[place]])
                evaluations[place].reservation = nil
                evaluations[place].decision.denial = denial
                evaluations[place].decision.policies = answer.results[index].decision
            }
        }
    }

    /// Answers every `approval_required` deny with its approval: a pending one for the
    /// same exact request, else a new one; a refused one turns the deny into
    /// `approval_refused`. When none can be stored the deny stays, without an approval.
    func ask(_ approvals: ApprovalService, in answer: inout AuthZENEvaluator.Answer) async {
        for index in answer.results.indices {
            guard let ask = answer.results[index].ask, answer.results[index].denial?.reason == .approvalRequired,
                let approval = try? await approvals.answer(ask)
            else { continue }
            answer.results[index].approval = approval
            if approval.state == .refused {
                answer.results[index].denial = TaskDenial(
                    .approvalRefused, "a person refused this exact request (approval `\(approval.id)`)", taskID: ask.taskID)
            }
        }
    }

}
