import Foundation
import WritCore

extension DataOptions {
    /// The file holding the salt sensitive values are hashed with in audit records.
    var auditSaltPath: String { URL(fileURLWithPath: data).appendingPathComponent("audit-salt").path }

    /// The salt of audit hashes (`AuditConfiguration.salt`): read from `audit-salt` in the
    /// data directory, made (32 random bytes, readable by the owner only) on first start.
    /// A file that is not 32 bytes or more is refused: hashes made with another salt
    /// could no longer be matched.
    func auditSalt() throws -> [UInt8] {
        let path = auditSaltPath
        if FileManager.default.fileExists(atPath: path) {
            guard let bytes = FileManager.default.contents(atPath: path) else { throw InputError("cannot read `\(path)`") }
            guard bytes.count >= 32 else { throw InputError("`\(path)` holds \(bytes.count) bytes; an audit salt has at least 32") }
            return Array(bytes)
        }
        let salt = AuditConfiguration.newSalt()
        guard FileManager.default.createFile(atPath: path, contents: Data(salt), attributes: [.posixPermissions: 0o600]) else {
            throw InputError("cannot write `\(path)`")
        }
        return salt
    }

    /// What audit records keep of request values: the salt (`auditSalt()`) and the
    /// sensitive values of `audit.json` in the data directory, when there is one.
    func auditConfiguration() throws -> AuditConfiguration {
        let salt = try auditSalt()
        let path = URL(fileURLWithPath: data).appendingPathComponent("audit.json").path
        guard FileManager.default.fileExists(atPath: path) else { return AuditConfiguration(salt: salt) }
        guard let bytes = FileManager.default.contents(atPath: path) else { throw InputError("cannot read `\(path)`") }
        do {
            return AuditConfiguration(salt: salt, sensitive: try AuditConfiguration.sensitiveValues(Array(bytes), file: path))
        } catch {
            throw InputError(error.description)
        }
    }
}
