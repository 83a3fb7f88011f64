import Cedar
import Foundation
import MCP

extension MCP.Value {
    /// This value as Writ's JSON, written as the SDK's `JSONEncoder` writes it; nil for
    /// a value the SDK writes in its own way (a `Double`, whose text is the encoder's,
    /// and `data`, written as a data URL) or that holds one. Callers fall back to the
    /// SDK's encoding then, so the two never disagree.
    var writJSON: JSON? {
        switch self {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .number(JSONNumber(Int64(number)))
        case .string(let text): return .string(text)
        case .double, .data: return nil
        case .array(let items):
            var values: [JSON] = []
            values.reserveCapacity(items.count)
            for item in items {
                guard let value = item.writJSON else { return nil }
                values.append(value)
            }
            return .array(values)
        case .object(let object): return Self.writJSON(object).map(JSON.object)
        }
    }

    /// `object` as JSON text written by Writ's writer; nil when a member has no Writ
    /// JSON form (`writJSON`), for the caller to use the SDK's encoder.
    static func writtenJSON(_ object: [String: MCP.Value]) -> [UInt8]? {
        writJSON(object).map { JSON.object($0).encodedBytes() }
    }

    /// The members of `object` as Writ's JSON, in the dictionary's order, or nil when
    /// one has no such form (`writJSON`).
    static func writJSON(_ object: [String: MCP.Value]) -> JSONObject? {
        var members: [(key: String, value: JSON)] = []
        members.reserveCapacity(object.count)
        for (key, member) in object {
            guard let value = member.writJSON else { return nil }
            members.append((key, value))
        }
        return JSONObject(uniqueMembers: members)
    }
}

extension MCP.ID {
    /// This id as Writ's JSON.
    var writJSON: JSON {
        switch self {
        case .string(let text): return .string(text)
        case .number(let number): return .number(JSONNumber(Int64(number)))
        }
    }
}
