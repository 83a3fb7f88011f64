import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain TCP connection to the test server, for requests no HTTP client would send:
/// a lying `Content-Length`, an endless chunked body. Reads give up after a receive
/// timeout, so a test fails instead of hanging. The socket calls block, so each runs on
/// a thread of its own (`blocking`), never on the concurrency pool the server needs.
final class RawConnection: @unchecked Sendable {
    private let fd: Int32
    /// Bytes received and not yet returned as a response.
    private var received: [UInt8] = []

    init(port: Int, receiveTimeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawError("socket failed") }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw RawError("connect failed")
        }
    }

    deinit { close(fd) }

    /// Sends all of `bytes`; false when the peer has closed or reset the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) async -> Bool {
        await blocking { self.sendNow(bytes) }
    }

    @discardableResult
    func send(_ text: String) async -> Bool { await send(Array(text.utf8)) }

    /// Reads until the response head and `Content-Length` bytes of body have arrived;
    /// returns the status code and the body, or nil if the connection ends first.
    func readResponse() async -> (status: Int, head: String, body: String)? {
        await blocking { self.readResponseNow() }
    }

    /// Whether the server has closed the connection: a read returns end-of-file or a
    /// reset (rather than timing out with the connection still open).
    func isClosedByPeer() async -> Bool {
        await blocking { self.isClosedByPeerNow() }
    }

    private func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    private func sendNow(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    private func readResponseNow() -> (status: Int, head: String, body: String)? {
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            if let end = received.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: received[..<end.lowerBound], as: UTF8.self)
                let length = head.split(separator: "\r\n").compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first ?? 0
                if received.count - end.upperBound >= length {
                    let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
                    let body = String(decoding: received[end.upperBound..<(end.upperBound + length)], as: UTF8.self)
                    received.removeFirst(end.upperBound + length)
                    return (status, head, body)
                }
            }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            received.append(contentsOf: chunk[..<count])
        }
    }

    private func isClosedByPeerNow() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { continue }
            if count == 0 { return true }
            return errno == ECONNRESET || errno == EPIPE
        }
    }
}

struct RawError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
