/// Checks on what callers give the task service. Each failure is a `WritError`
/// naming the input, and nothing has changed when it is thrown.
struct TaskInput {
    let configuration: TaskService.Configuration

    /// An id (agent, user, label, action, actor): not empty, within the size limit,
    /// no control, bidirectional or zero-width characters.
    func identifier(_ value: String, _ name: String) throws(WritError) {
        guard !value.isEmpty else { throw WritError(.invalidIdentifier, "`\(name)` is empty") }
        try size(value, name, max: configuration.maxIdentifierBytes)
        if let error = AuthZENIdentifier.refusal(in: value, named: "`\(name)`") { throw error }
    }

    /// Free text: within `max` bytes, and no control characters but newline and tab,
    /// nor bidirectional or zero-width ones.
    func text(_ value: String, _ name: String, max: Int) throws(WritError) {
        try size(value, name, max: max)
        if let error = AuthZENIdentifier.refusal(
            in: value, named: "`\(name)`", allowing: ["\n", "\t"], code: .invalidRequest)
        {
            throw error
        }
    }

    func size(_ value: String, _ name: String, max: Int) throws(WritError) {
        guard value.utf8.count <= max else {
            throw WritError(.tooLarge, "`\(name)` is \(value.utf8.count) bytes; at most \(max) are accepted")
        }
    }

    /// The mandate's files: named, within the file and byte limits.
    func mandate(_ files: [SourceFile]) throws(WritError) {
        guard files.count <= configuration.maxMandateFiles else {
            throw WritError(
                .tooLarge, "`mandate` has \(files.count) files; at most \(configuration.maxMandateFiles) are accepted")
        }
        var total = 0
        for (index, file) in files.enumerated() {
            try identifier(file.name, "mandate[\(index)].name")
            total += file.text.utf8.count
        }
        guard total <= configuration.maxMandateBytes else {
            throw WritError(
                .tooLarge, "`mandate` is \(total) bytes; at most \(configuration.maxMandateBytes) are accepted")
        }
    }

    /// A lifetime: whole seconds, at least one, at most the maximum.
    func ttl(_ ttl: Duration, _ name: String) throws(WritError) -> Int64 {
        guard ttl <= configuration.maxTTL else {
            throw WritError(
                .invalidRequest, "`\(name)` is \(ttl); at most \(configuration.maxTTL) is accepted")
        }
        let seconds = ttl.components.seconds
        guard seconds >= 1 else {
            throw WritError(.invalidRequest, "`\(name)` is \(ttl); a task must live at least one second")
        }
        return seconds
    }

    /// Labels one request names: at most `maxLabels`, each a label (see `label(_:_:)`).
    func labels(_ labels: Set<String>, _ name: String = "labels") throws(WritError) {
        guard labels.count <= configuration.maxLabels else {
            throw WritError(.tooLarge, "`\(name)` has \(labels.count) labels; at most \(configuration.maxLabels) are accepted")
        }
        for label in labels.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let shown = label.unicodeScalars.count <= 64 ? label : String(String.UnicodeScalarView(label.unicodeScalars.prefix(32))) + "…"
            try self.label(label, "\(name)[\(shown)]")
        }
    }

    /// A label: an identifier of at most `maxLabelBytes` ASCII letters, digits, `_`,
    /// `-`, `.` and `:`, starting with a letter or digit (`pii`, `untrusted`,
    /// `source:web`).
    func label(_ value: String, _ name: String) throws(WritError) {
        try identifier(value, name)
        guard value.utf8.count <= configuration.maxLabelBytes else {
            throw WritError(
                .tooLarge, "`\(name)` is \(value.utf8.count) bytes; a label is at most \(configuration.maxLabelBytes)")
        }
        guard let first = value.utf8.first, Self.isAlphanumeric(first),
            value.utf8.allSatisfy({ Self.isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
                || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") })
        else {
            throw WritError(
                .invalidIdentifier,
                "`\(name)` is not a label: labels are ASCII letters, digits, `_`, `-`, `.` and `:`, starting with a letter or digit")
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    func budgets(_ budgets: TaskBudgets) throws(WritError) {
        let entries = budgets.maxCalls.count + budgets.spend.count
        guard entries <= configuration.maxBudgetEntries else {
            throw WritError(
                .tooLarge, "`budgets` has \(entries) entries; at most \(configuration.maxBudgetEntries) are accepted")
        }
        if let max = budgets.maxDecisions, max < 0 {
            throw WritError(.invalidNumber, "`budgets.maxDecisions` is \(max); limits may not be negative")
        }
        for (action, max) in budgets.maxCalls.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            try identifier(action, "budgets.maxCalls[\(action)]")
            if max < 0 {
                throw WritError(.invalidNumber, "`budgets.maxCalls[\(action)]` is \(max); limits may not be negative")
            }
        }
        for (action, spend) in budgets.spend.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            try identifier(action, "budgets.spend[\(action)]")
            try identifier(spend.argument, "budgets.spend[\(action)].argument")
            if spend.ceiling < 0 {
                throw WritError(
                    .invalidNumber, "`budgets.spend[\(action)].ceiling` is \(spend.ceiling); limits may not be negative")
            }
        }
    }
}
