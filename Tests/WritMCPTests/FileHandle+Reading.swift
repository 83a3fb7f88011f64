import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension FileHandle {
    /// Everything until the end of the file, retrying a read a signal interrupts.
    /// Foundation's `readDataToEndOfFile()` traps on `EINTR`, and this test process
    /// starts and reaps many children while other tests run.
    func readAllRetryingInterrupts() -> Data {
        var data = Data()
        while true {
            let chunk = readAvailableRetryingInterrupts()
            if chunk.isEmpty { return data }
            data.append(chunk)
        }
    }

    /// What one read gives (up to 64 KiB; empty at the end of the file or on an
    /// error), retrying when a signal interrupts it — `availableData` traps instead.
    func readAvailableRetryingInterrupts() -> Data {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, $0.count) }
            if count >= 0 { return Data(buffer[0..<count]) }
            if errno != EINTR { return Data() }
        }
    }
}
