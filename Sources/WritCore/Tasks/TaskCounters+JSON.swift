import Cedar

extension TaskCounters {
    /// The counters as a store keeps them: a JSON object with the members `actions`,
    /// `calls`, `decisions` and `spend` (in that order, and the actions and spends in
    /// the order of their ids' UTF-8 bytes, so equal counters are equal text). Read
    /// and written on every allow, so piece by piece with Writ's JSON writer — the
    /// text a JSON tree of the same members would encode to, without building one —
    /// rather than with Foundation's coders, which read and write the same text.
    package var storedJSON: [UInt8] {
        var writer = JSONByteWriter(capacity: 64 + 24 * (actions.count + spend.count))
        writer.append(#"{"actions":"#)
        Self.writeNumbers(actions, to: &writer)
        writer.append(#","calls":"#)
        writer.writeInteger(Int64(calls))
        writer.append(#","decisions":"#)
        writer.writeInteger(Int64(decisions))
        writer.append(#","spend":"#)
        Self.writeNumbers(spend, to: &writer)
        writer.append("}")
        return writer.output
    }

    /// Writes `members` as a JSON object of whole numbers, in the order of the keys'
    /// UTF-8 bytes.
    private static func writeNumbers<N: BinaryInteger>(_ members: [String: N], to writer: inout JSONByteWriter) {
        guard !members.isEmpty else { return writer.append("{}") }
        writer.append("{")
        var first = true
        for member in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            if !first { writer.append(",") }
            first = false
            writer.writeString(member.key)
            writer.append(":")
            writer.writeInteger(Int64(member.value))
        }
        writer.append("}")
    }

    /// The counters `bytes` hold, as `storedJSON` writes them (members in any order;
    /// others ignored); nil when a member is missing or not a whole number in range.
    ///
    /// Text exactly as `storedJSON` writes it is read without a JSON tree
    /// (`StoredCountersReader`); any other text — written by Foundation's coders, or
    /// damaged — is read by the general JSON reader, which decides what it holds.
    package init?(storedJSON bytes: [UInt8]) {
        if let counters = StoredCountersReader.read(bytes) {
            self = counters
        } else {
            self.init(parsingStoredJSON: bytes)
        }
    }

    /// `init(storedJSON:)` through the general JSON reader and a JSON tree.
    init?(parsingStoredJSON bytes: [UInt8]) {
        guard case .object(let object)? = try? JSON.parse(bytes),
            case .number(let decisions)? = object["decisions"], let decisions = decisions.int64,
            case .number(let calls)? = object["calls"], let calls = calls.int64,
            let actions = Self.numbers(object["actions"]), let spend = Self.numbers(object["spend"])
        else { return nil }
        self.init(decisions: Int(decisions), calls: Int(calls), actions: actions.mapValues { Int($0) }, spend: spend)
    }

    /// The members of a JSON object of whole numbers; nil for anything else.
    private static func numbers(_ json: JSON?) -> [String: Int64]? {
        guard case .object(let object)? = json else { return nil }
        var numbers: [String: Int64] = Dictionary(minimumCapacity: object.count)
        for (key, member) in object {
            guard case .number(let number) = member, let value = number.int64 else { return nil }
            numbers[key] = value
        }
        return numbers
    }
}
