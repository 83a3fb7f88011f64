import Cedar

/// The digest an approval is bound to: SHA-256 over the exact action — principal,
/// action, resource, the request's context as canonical JSON (Cedar records keep
/// their keys in Unicode scalar order), and the task id — each length-prefixed, so no
/// two different actions share an encoding. Writ's own `context.task` is not part
/// of it (agents cannot send one).
public enum ApprovalDigest {
    /// The digest of `request` asked in task `taskID` (nil: outside any task), lowercase hex.
    public static func of(_ request: Request, taskID: String?) -> String {
        ContentDigest.lengthPrefixed([
            "writ.approval.v1", request.principal.description, request.action.description, request.resource.description,
            canonical(.record(request.context)), taskID.map { "task:" + $0 } ?? "-",
        ])
    }

    /// The call's arguments a person sees: `context.input` as canonical JSON, `null` without one.
    public static func arguments(of request: Request) -> String {
        request.context["input"].map(canonical) ?? "null"
    }

    /// A value as canonical JSON. A value JSON cannot hold is written as its Cedar text,
    /// which is still exact.
    static func canonical(_ value: Value) -> String {
        (try? EntityJSON.encode(value)) ?? "cedar:\(value)"
    }
}
