/// Base64 with the URL alphabet and no padding (RFC 4648 §5), strictly: decoding
/// refuses other characters, impossible lengths and non-zero unused bits, so each
/// byte string has exactly one text.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var group: UInt32 = 0
            for (i, byte) in chunk.enumerated() { group |= UInt32(byte) << (16 - 8 * UInt32(i)) }
            for i in 0...chunk.count { out.append(alphabet[Int((group >> (18 - 6 * UInt32(i))) & 0x3F)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt32] = []
        for byte in text.utf8 {
            guard let value = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt32(value))
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            var group: UInt32 = 0
            for (i, value) in chunk.enumerated() { group |= value << (18 - 6 * UInt32(i)) }
            let produced = chunk.count - 1
            // Bits below the last produced byte must be zero.
            if produced < 3, group & ((1 << (24 - 8 * UInt32(produced))) - 1) != 0 { return nil }
            for i in 0..<produced { out.append(UInt8(truncatingIfNeeded: group >> (16 - 8 * UInt32(i)))) }
            index += 4
        }
        return out
    }
}
