import Synchronization

/// The address the server actually listens on, known once the socket is bound (the
/// configured port may be 0).
final class BoundAddress: Sendable {
    private let value = Mutex<(host: String, port: Int)?>(nil)

    func set(host: String, port: Int) {
        value.withLock { $0 = (host, port) }
    }

    /// `http://host:port`, with an IPv6 host in brackets; nil before the socket is bound.
    var baseURL: String? {
        value.withLock { address in
            guard let address else { return nil }
            let host = address.host.contains(":") ? "[\(address.host)]" : address.host
            return "http://\(host):\(address.port)"
        }
    }
}
