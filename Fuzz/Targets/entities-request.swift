/// libFuzzer's entry point: the input is an entities file or a request, in JSON; see
/// `Oracle.checkEntitiesOrRequest`.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzEntitiesRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzEntry.run(data, size, Oracle.checkEntitiesOrRequest)
}
