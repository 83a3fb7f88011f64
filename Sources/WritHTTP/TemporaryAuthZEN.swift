// TEMPORARY: stands in for the AuthZEN layer (branch `authzen`) until it lands.
// Delete this file before the final commit.
import WritCore

extension DecisionService {
    public func authzen(_ operation: AuthZENOperation, body: [UInt8]) throws(WritError) -> AuthZENOutcome {
        _ = try engine()
        throw WritError(.notReady, "the AuthZEN layer is not in this build")
    }
}

extension AuthZENMapping {
    public static func parse(_ bytes: [UInt8], file: String = "authzen.json") throws(WritError) -> AuthZENMapping {
        AuthZENMapping()
    }
}
