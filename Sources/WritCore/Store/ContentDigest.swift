import Crypto
import Foundation

/// SHA-256 over an unambiguous encoding of a policy set's content: every string is
/// length-prefixed, so no two different contents share a byte sequence.
enum ContentDigest {
    static func of(files: [SourceFile], schema: SchemaSource?) -> String {
        var parts = ["writ.policyset.v1", String(files.count)]
        for file in files {
            parts.append(file.name)
            parts.append(file.text)
        }
        if let schema {
            parts += [schema.format.rawValue, schema.file.name, schema.file.text]
        } else {
            parts.append("-")
        }
        return lengthPrefixed(parts)
    }

    /// SHA-256, lowercase hex, over `parts`, each prefixed by its UTF-8 length.
    static func lengthPrefixed(_ parts: [String]) -> String {
        var hasher = SHA256()
        for part in parts {
            let bytes = Array(part.utf8)
            var length = UInt64(bytes.count).bigEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(data: bytes)
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
