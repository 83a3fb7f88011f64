import HTTPTypes
import Hummingbird
import Synchronization
import WritCore

/// Gives every request an id and echoes it on every response, as AuthZEN's request
/// identification asks: the caller's `X-Request-ID` when it sent one, else a new one
/// (`makeID`). An id longer than `maxLength` bytes, sent twice, or holding anything
/// but printable ASCII (no control characters) is refused with 400.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = WritRequestContext

    static let header = HTTPField.Name("X-Request-ID")!
    static let maxLength = 256

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let sent = request.headers[values: Self.header]
        let id: String
        switch sent.count {
        case 0:
            id = Self.makeID()
        case 1:
            guard let valid = Self.validated(sent[0]) else {
                return WritError(
                    .invalidRequest,
                    "X-Request-ID must be 1 to \(Self.maxLength) printable ASCII characters without control characters"
                ).response
            }
            id = valid
        default:
            return WritError(.invalidRequest, "X-Request-ID was sent \(sent.count) times; send it at most once").response
        }
        var context = context
        context.requestID = id
        var response = try await next(request, context)
        response.headers[Self.header] = id
        return response
    }

    /// A new id in the UUID text form: 64 random bits chosen when the process starts,
    /// then a 64-bit counter that starts at a random value — unique within the process
    /// and, with overwhelming probability, across processes, without a random draw
    /// (a system call) per request.
    static func makeID() -> String {
        let low = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        // 32 hex digits in 8-4-4-4-12 groups, written straight into the string's storage.
        return String(unsafeUninitializedCapacity: 36) { buffer in
            let digits: StaticString = "0123456789abcdef"
            var written = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    buffer[written] = UInt8(ascii: "-")
                    written += 1
                }
                let word = nibble < 16 ? prefix : low
                let shift = UInt64(60 - 4 * (nibble % 16))
                buffer[written] = digits.utf8Start[Int((word >> shift) & 0xF)]
                written += 1
            }
            return written
        }
    }

    private static let prefix = UInt64.random(in: .min ... .max)
    private static let counter = Atomic<UInt64>(UInt64.random(in: .min ... .max))

    /// The id if it may be echoed: 1 to `maxLength` bytes, each printable ASCII
    /// (0x20–0x7E), not starting or ending with a space.
    static func validated(_ value: String) -> String? {
        let bytes = value.utf8
        guard (1...maxLength).contains(bytes.count),
              bytes.allSatisfy({ (0x20...0x7E).contains($0) }),
              bytes.first != 0x20, bytes.last != 0x20
        else { return nil }
        return value
    }
}
