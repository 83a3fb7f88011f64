/// libFuzzer's entry point: the input is policy text; see `Oracle.checkPolicyText`.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzPolicyText(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzEntry.run(data, size, Oracle.checkPolicyText)
}
