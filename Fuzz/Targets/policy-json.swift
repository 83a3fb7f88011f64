/// libFuzzer's entry point: the input is a JSON policy set; see `Oracle.checkPolicyJSON`.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzPolicyJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzEntry.run(data, size, Oracle.checkPolicyJSON)
}
