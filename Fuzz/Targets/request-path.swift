/// libFuzzer's entry point: the input is policy text, entities JSON and request JSON
/// joined by NUL bytes; see `Oracle.checkRequestPath`.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzRequestPath(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzEntry.run(data, size, Oracle.checkRequestPath)
}
