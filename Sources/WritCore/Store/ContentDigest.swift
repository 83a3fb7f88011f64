import Crypto
import Foundation

/// SHA-256 over an unambiguous encoding of a policy set's content: every string is
/// length-prefixed, so no two different contents share a byte sequence.
enum ContentDigest {
    static func of(files: [SourceFile], schema: SchemaSource?) -> String {
        var hasher = SHA256()
        func add(_ s: String) {
            let bytes = Array(s.utf8)
            var length = UInt64(bytes.count).bigEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(data: bytes)
        }
        add("writ.policyset.v1")
        add(String(files.count))
        for file in files {
            add(file.name)
            add(file.text)
        }
        if let schema {
            add(schema.format.rawValue)
            add(schema.file.name)
            add(schema.file.text)
        } else {
            add("-")
        }
        return hex(hasher.finalize())
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
