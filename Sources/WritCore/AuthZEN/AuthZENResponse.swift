import Cedar

/// The JSON of AuthZEN responses. Keys are written in a fixed order, so equal
/// answers are equal bytes.
///
/// A decision's `context` reports, as docs/AUTHZEN.md lists:
/// - `policy_set_version` (integer) and `mode` (`strict` or `cedar-compat`) — for a
///   batch or a search once, in the top-level `context`;
/// - `reasons`: the ids of the policies that decided (single evaluations only);
/// - `error`: `{"status": 400, "message": …}` when the request was not valid under the
///   schema and was denied without evaluation;
/// - `errors`: `[{"policy": id, "message": …}]`, policies that failed while evaluated;
/// - `failed_guardrails`: in strict mode, the `forbid` policies whose failure denied;
/// - `reason` and `message`: why a request about an agent was denied in its task
///   (`no_task`, `task_closed`, `budget_exhausted:decisions` …; see `TaskDenial`);
/// - `evaluation_id` and `access_request`: for `approval_required`, the approval a
///   person must decide (docs/APPROVALS.md); `evaluation_id` alone for `approval_refused`;
/// - `obligations`: for an allow, the redactions its policies ask for, as AuthZEN
///   Obligations Profile objects (`Redaction.obligation(id:)`);
/// - `decision_id`: when decisions are audited, the id of the decision's audit record
///   (per item in a batch).
///
/// A batch item is exactly `{"decision": bool}` unless it has a `decision_id`, an
/// `error`, `errors`, `failed_guardrails`, a task denial or a short-circuit reason to report.
enum AuthZENResponse {
    /// `policy_set_version` and `mode` of the engine that decided.
    static func versionMembers(_ engine: PolicyEngine) -> [(key: String, value: JSON)] {
        [
            (key: "policy_set_version", value: .number(JSONNumber(Int64(engine.version.version)))),
            (key: "mode", value: .string(engine.mode.rawValue)),
        ]
    }

    /// Ends the list a batch or filter response is writing, then the response:
    /// `],"context":{"policy_set_version":…,"mode":…}}` (`versionMembers(engine)`).
    static func endList(_ writer: inout JSONByteWriter, engine: PolicyEngine) {
        writer.append(#"],"context":{"policy_set_version":"#)
        writer.writeInteger(Int64(engine.version.version))
        writer.append(#","mode":"#)
        writer.writeString(engine.mode.rawValue)
        writer.append("}}")
    }

    /// The response to one evaluation, the decision with its full context, written
    /// straight to bytes (no JSON tree: this is every single evaluation's answer):
    /// `{"decision":…,"context":{"policy_set_version":…,"mode":…,"reasons":[…],…}}`,
    /// then whatever `report(_:)` has to say, in its order.
    static func decision(_ result: AuthZENEvaluator.Result, engine: PolicyEngine) -> [UInt8] {
        var writer = JSONByteWriter(capacity: 128)
        writer.append(result.allowed ? #"{"decision":true,"context":{"# : #"{"decision":false,"context":{"#)
        // The members of `versionMembers(engine)`.
        writer.append(#""policy_set_version":"#)
        writer.writeInteger(Int64(engine.version.version))
        writer.append(#","mode":"#)
        writer.writeString(engine.mode.rawValue)
        writer.append(#","reasons":["#)
        // A denial in a task other than the policies' own names no policy.
        let decided = result.denial.map { [TaskDenial.Reason.policyDenied, .approvalRequired, .approvalRefused].contains($0.reason) } ?? true
        for (index, reason) in (decided ? result.decision?.reasons ?? [] : []).enumerated() {
            if index > 0 { writer.append(",") }
            writer.writeString(reason)
        }
        writer.append("]")
        for member in report(result) {
            writer.append(",")
            writer.writeString(member.key)
            writer.append(":")
            writer.write(member.value)
        }
        writer.append("}}")
        return writer.output
    }

    /// One item of an evaluations response: `{"decision": bool}`, with a `context`
    /// only when there is something to report (`extra` holds a short-circuit reason).
    static func item(_ result: AuthZENEvaluator.Result, extra: [(key: String, value: JSON)] = []) -> JSON {
        // A task's denial reason replaces a short-circuit reason.
        var context = extra
        for member in report(result) {
            if let index = context.firstIndex(where: { $0.key == member.key }) {
                context[index] = member
            } else {
                context.append(member)
            }
        }
        var members: [(key: String, value: JSON)] = [(key: "decision", value: .bool(result.allowed))]
        if !context.isEmpty { members.append((key: "context", value: .object(JSONObject(uniqueMembers: context)))) }
        return .object(JSONObject(uniqueMembers: members))
    }

    /// The approval a denial asked for, if any, as the Access Request and Approval
    /// profile has it: `evaluation_id` binds the denial, `access_request` (only while it
    /// can be decided) says where and until when.
    static func approvalMembers(_ result: AuthZENEvaluator.Result) -> [(key: String, value: JSON)] {
        guard let approval = result.approval, !result.allowed else { return [] }
        var members: [(key: String, value: JSON)] = [(key: "evaluation_id", value: .string(approval.id))]
        if approval.state == .pending {
            members.append((key: "access_request", value: approval.accessRequest))
        }
        return members
    }

    /// Whether `report(results[index])` is empty, so that `item(results[index])` is
    /// exactly `{"decision": bool}`: no decision id, denial, approval, invalid request,
    /// obligations, errors or failed guardrails. Reads the fields in place (a result
    /// handed whole to a function is copied); kept beside `report(_:)`, which it must
    /// agree with.
    static func reportsNothing(_ results: UnsafeBufferPointer<AuthZENEvaluator.Result>, _ index: Int) -> Bool {
        guard results[index].decisionID == nil, results[index].denial == nil, results[index].approval == nil,
            results[index].invalidReason == nil
        else { return false }
        guard results[index].decision != nil else { return true }
        return results[index].decision!.redactions.isEmpty && results[index].decision!.errors.isEmpty
            && results[index].decision!.failedGuardrails.isEmpty
    }

    /// What went wrong or was overridden in one evaluation, if anything.
    private static func report(_ result: AuthZENEvaluator.Result) -> [(key: String, value: JSON)] {
        var members: [(key: String, value: JSON)] = []
        if let id = result.decisionID { members.append((key: "decision_id", value: .string(id))) }
        if let denial = result.denial {
            members.append((key: "reason", value: .string(denial.reason.rawValue)))
            members.append((key: "message", value: .string(denial.message)))
        }
        members += approvalMembers(result)
        if let reason = result.invalidReason {
            members.append((key: "error", value: .object(JSONObject(uniqueMembers: [
                (key: "status", value: .number(JSONNumber(400))),
                (key: "message", value: .string(reason)),
            ]))))
        }
        guard let decision = result.decision else { return members }
        if result.allowed, !decision.redactions.isEmpty {
            // The AuthZEN Obligations Profile: the PEP must apply each, or deny.
            members.append((key: "obligations", value: obligations(decision.redactions)))
        }
        if !decision.errors.isEmpty {
            members.append((key: "errors", value: errors(decision)))
        }
        if !decision.failedGuardrails.isEmpty {
            members.append((key: "failed_guardrails", value: .array(decision.failedGuardrails.map { .string($0) })))
        }
        return members
    }

    /// Redactions as AuthZEN Obligations Profile objects, `redact-1`, `redact-2` ….
    static func obligations(_ redactions: [Redaction]) -> JSON {
        .array(redactions.enumerated().map { index, redaction in redaction.obligation(id: "redact-\(index + 1)") })
    }

    /// `[{"policy": id, "message": …}]`: the policies that failed while evaluated.
    static func errors(_ decision: WritDecision) -> JSON {
        .array(decision.errors.map { error in
            .object(JSONObject(uniqueMembers: [
                (key: "policy", value: .string(error.policyID)),
                (key: "message", value: .string(error.error.message)),
            ]))
        })
    }
}
