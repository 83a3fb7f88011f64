import Foundation
import Logging
import WritCore
import WritHTTP

/// What `writ serve` and `writ task` (without `--server`) share about tasks in a data
/// directory: the signing keys, the issuer of task credentials, and the task service
/// built on them. So a credential minted by either verifies on a server started on
/// the same directory, before or after.
extension DataOptions {
    /// The file in the data directory that records the issuer (and audience) of task
    /// credentials, one line.
    static let issuerFileName = "issuer"

    /// The longest issuer accepted, in UTF-8 bytes.
    static let maxIssuerBytes = 2048

    private var issuerPath: String {
        URL(fileURLWithPath: data).appendingPathComponent(Self.issuerFileName).path
    }

    /// The issuer recorded in the data directory, or nil when none is.
    func recordedIssuer() throws -> String? {
        let path = issuerPath
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let bytes = FileManager.default.contents(atPath: path) else { throw InputError("cannot read `\(path)`") }
        guard let text = String(bytes: bytes, encoding: .utf8) else { throw InputError("`\(path)` is not valid UTF-8") }
        let issuer = text.trimmingCharacters(in: .newlines)
        if let problem = Self.issuerProblem(issuer) { throw InputError("`\(path)` does not hold an issuer: \(problem)") }
        return issuer
    }

    /// Records `issuer` in the data directory (replacing what was there).
    func recordIssuer(_ issuer: String) throws {
        do {
            try Data((issuer + "\n").utf8).write(to: URL(fileURLWithPath: issuerPath), options: .atomic)
        } catch {
            throw InputError("cannot write `\(issuerPath)`: \(error.localizedDescription)")
        }
    }

    /// Why `issuer` cannot be one, or nil when it can: it is not empty, fits the
    /// limit, and has no control or space characters.
    static func issuerProblem(_ issuer: String) -> String? {
        if issuer.isEmpty { return "it is empty" }
        if issuer.utf8.count > maxIssuerBytes { return "it is longer than \(maxIssuerBytes) bytes" }
        if issuer.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " }) {
            return "it contains a space or a control character"
        }
        return nil
    }

    /// The issuer and audience of task credentials: `publicURL` when given (recorded
    /// in the data directory), else the recorded one, else `otherwise` (recorded); an
    /// error when there is none of them.
    func credentialIssuer(publicURL: String?, otherwise: String?, logger: Logger) throws -> String {
        let recorded = try recordedIssuer()
        if let publicURL {
            if let problem = Self.issuerProblem(publicURL) {
                throw InputError("--public-url `\(publicURL)` cannot be the credential issuer: \(problem)")
            }
            guard publicURL != recorded else { return publicURL }
            if let recorded {
                logger.notice("task credentials are now issued by \(publicURL), not \(recorded): earlier ones no longer verify")
            }
            try recordIssuer(publicURL)
            return publicURL
        }
        if let recorded { return recorded }
        guard let otherwise else {
            throw InputError("`\(data)` records no credential issuer: pass --public-url, or start `writ serve --data \(data)` once")
        }
        try recordIssuer(otherwise)
        return otherwise
    }

    /// The store's signing keys, oldest first; when none is active, one is generated
    /// and stored first (and returned as `generated`).
    func signingKeys(
        _ store: any SigningKeyStore
    ) async throws -> (keys: [SigningKeyRecord], generated: SigningKeyRecord?) {
        do {
            var keys = try await store.allSigningKeys()
            guard !keys.contains(where: { $0.retiredAt == nil }) else { return (keys, nil) }
            let key = SigningKeyRecord.generate(now: Date())
            try await store.insertSigningKey(key)
            keys.append(key)
            return (keys, key)
        } catch {
            throw InputError("cannot read the signing keys in `\(data)`: \(error.message)")
        }
    }

    /// The key ring that mints task credentials with issuer and audience `issuer`, and
    /// a task service deciding with `decisions` whose credentials it mints and verifies.
    static func taskService(
        _ decisions: DecisionService, keys: [SigningKeyRecord], issuer: String, audit: (any AuditSink)? = nil
    ) -> (tasks: TaskService, ring: CredentialKeyRing) {
        let configuration = TaskService.Configuration()
        let ring = CredentialKeyRing(
            keys: keys, issuer: issuer, gracePeriod: TaskCredentialSigner.gracePeriod, maxLifetime: configuration.maxTTL)
        return (TaskCredentialSigner(ring: ring).taskService(decisions: decisions, configuration: configuration, audit: audit), ring)
    }
}
