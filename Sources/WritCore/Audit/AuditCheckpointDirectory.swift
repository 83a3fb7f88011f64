import Cedar
import Foundation

/// A directory the operator chooses, outside the database, holding one JSON file per
/// checkpoint (`checkpoint-000000000042.json` for size 42). Someone who can rewrite
/// the database but not this directory cannot rewrite the log unnoticed.
public struct AuditCheckpointDirectory: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The file name of a checkpoint of `size` records.
    public static func fileName(size: Int) -> String {
        let digits = String(size)
        return "checkpoint-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits + ".json"
    }

    /// Writes `checkpoint` atomically (temporary file, fsync, rename), creating the
    /// directory when missing; a checkpoint of the same size is replaced.
    public func write(_ checkpoint: AuditCheckpoint) throws(WritError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw WritError(.storeUnavailable, "cannot create the checkpoint directory `\(path)`: \(error.localizedDescription)")
        }
        let file = URL(fileURLWithPath: path).appendingPathComponent(Self.fileName(size: checkpoint.size)).path
        try AuditFiles.writeAtomically(Self.encode(checkpoint) + [0x0A], to: file, mode: 0o644)
    }

    /// Every checkpoint file, by size.
    /// - Throws: `.notFound` when the directory does not exist; `.corruptState` naming
    ///   the first file that is not a checkpoint.
    public func readAll() throws(WritError) -> [AuditCheckpoint] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw WritError(.notFound, "the checkpoint directory `\(path)` does not exist")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw WritError(.storeUnavailable, "cannot list the checkpoint directory `\(path)`: \(error.localizedDescription)")
        }
        var checkpoints: [AuditCheckpoint] = []
        for name in names.sorted() where name.hasPrefix("checkpoint-") && name.hasSuffix(".json") {
            let file = URL(fileURLWithPath: path).appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: file) else {
                throw WritError(.storeUnavailable, "cannot read the checkpoint file `\(file)`")
            }
            do {
                checkpoints.append(try Self.decode(JSON.parse(Array(data))))
            } catch {
                throw WritError(.corruptState, "the checkpoint file `\(file)` is not a checkpoint: \(error.description)")
            }
        }
        return checkpoints.sorted { $0.size < $1.size }
    }

    /// A checkpoint as JSON: every field, hashes and keys in lowercase hex.
    public static func encode(_ checkpoint: AuditCheckpoint) -> [UInt8] {
        let json: JSON = [
            "format": .string(AuditCheckpoint.domain),
            "size": .number(JSONNumber(Int64(checkpoint.size))),
            "head_hash": .string(checkpoint.headHash.auditHex),
            "time": .string(AuditTime.format(micros: checkpoint.timeMicros)),
            "time_micros": .number(JSONNumber(checkpoint.timeMicros)),
            "key_id": .string(checkpoint.keyID),
            "public_key": .string(checkpoint.publicKey.auditHex),
            "signature": .string(checkpoint.signature.auditHex),
        ]
        return json.encodedBytes(pretty: true)
    }

    /// Reads the JSON `encode` writes.
    static func decode(_ json: JSON) throws(JSONError) -> AuditCheckpoint {
        let object = try json.asObject()
        try object.rejectUnknownKeys(allowed: [
            "format", "size", "head_hash", "time", "time_micros", "key_id", "public_key", "signature",
        ])
        guard try object.decodeString("format") == AuditCheckpoint.domain else {
            throw JSONError(.invalidValue, "`format` is not `\(AuditCheckpoint.domain)`")
        }
        func integer(_ key: String) throws(JSONError) -> Int64 {
            try object.decode(key) { (value) throws(JSONError) -> Int64 in
                guard case .number(let number) = value, let int = number.int64 else {
                    throw .wrongType(expected: "an integer", found: value)
                }
                return int
            }
        }
        func hex(_ key: String, count: Int) throws(JSONError) -> [UInt8] {
            guard let bytes = [UInt8](auditHex: try object.decodeString(key)), bytes.count == count else {
                throw JSONError(.invalidValue, "`\(key)` is not \(count) bytes in hexadecimal")
            }
            return bytes
        }
        let size = try integer("size")
        guard size >= 0 else { throw JSONError(.invalidValue, "`size` is negative") }
        return AuditCheckpoint(
            size: Int(size), headHash: try hex("head_hash", count: 32), timeMicros: try integer("time_micros"),
            keyID: try object.decodeString("key_id"), publicKey: try hex("public_key", count: 32),
            signature: try hex("signature", count: 64))
    }
}
