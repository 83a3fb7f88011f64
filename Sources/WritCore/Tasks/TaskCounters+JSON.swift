import Cedar

extension TaskCounters {
    /// The counters as a store keeps them: a JSON object with the members `actions`,
    /// `calls`, `decisions` and `spend` (in that order, and the actions and spends in
    /// the order of their ids' UTF-8 bytes, so equal counters are equal text). Read
    /// and written on every allow, so with Writ's JSON rather than Foundation's coders,
    /// which read and write the same text.
    package var storedJSON: [UInt8] {
        func numbers<N: BinaryInteger>(_ members: [String: N]) -> JSON {
            .object(JSONObject(uniqueMembers: members
                .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { (key: $0.key, value: .number(JSONNumber(Int64($0.value)))) }))
        }
        return JSON.object(JSONObject(uniqueMembers: [
            ("actions", numbers(actions)),
            ("calls", .number(JSONNumber(Int64(calls)))),
            ("decisions", .number(JSONNumber(Int64(decisions)))),
            ("spend", numbers(spend)),
        ])).encodedBytes()
    }

    /// The counters `bytes` hold, as `storedJSON` writes them (members in any order;
    /// others ignored); nil when a member is missing or not a whole number in range.
    package init?(storedJSON bytes: [UInt8]) {
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
