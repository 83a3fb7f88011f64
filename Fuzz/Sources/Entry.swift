/// What every fuzz target's `LLVMFuzzerTestOneInput` does with its input.
enum FuzzEntry {
    /// Copies libFuzzer's input and runs `check` on it. A broken property traps, so
    /// libFuzzer reports a crash and saves the input; anything else returns 0, the only
    /// value libFuzzer accepts.
    static func run(
        _ data: UnsafePointer<UInt8>?, _ size: Int, _ check: ([UInt8]) throws(OracleFailure) -> Void
    ) -> CInt {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        do {
            try check(bytes)
        } catch {
            fatalError("oracle failure: \(error)")
        }
        return 0
    }
}
