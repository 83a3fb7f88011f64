import Benchmark
import Foundation
import WritCore

// Wall-clock latency and heap allocations of task-credential verification: with the
// ring's cache of verified tokens (an agent presenting its credential again), and
// without it (the first presentation: base64url, header, Ed25519, claims). Each
// iteration verifies the next of 64 credentials; signing them is setup.

/// A key ring and credentials ready to verify.
struct PreparedCredentials: Sendable {
    let ring: CredentialKeyRing
    let tokens: [String]
    let now = Date(timeIntervalSince1970: 1_750_000_010)

    init(cacheCapacity: Int) throws {
        let key = SigningKeyRecord(
            id: "bench-key", privateKey: (0..<32).map { UInt8(truncatingIfNeeded: $0 * 11 + 5) },
            createdAt: Date(timeIntervalSince1970: 1_750_000_000))
        let ring = CredentialKeyRing(
            keys: [key], issuer: "https://writ.example", gracePeriod: .seconds(3600), maxLifetime: .seconds(900),
            cacheCapacity: cacheCapacity)
        self.ring = ring
        tokens = try (0..<64).map { n in
            try ring.sign(
                TaskCredentialClaims(
                    issuer: "https://writ.example", agent: "support-agent-\(n % 8)", audience: ["mcp-tools"],
                    taskID: "tsk_\(String(n, radix: 16))_8f2c1d0e9a7b6c5d4e3f2a1b", onBehalfOf: ["alice@example.com"],
                    issuedAt: Date(timeIntervalSince1970: 1_750_000_000),
                    expiresAt: Date(timeIntervalSince1970: 1_750_000_600)))
        }
    }

    @inline(__always)
    func verify(iteration i: Int) throws -> TaskCredentialClaims {
        try ring.verify(tokens[i % tokens.count], audience: "mcp-tools", now: now)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        warmupIterations: 200,
        maxDuration: .seconds(3),
        maxIterations: 1_000_000
    )

    func register(_ name: String, cacheCapacity: Int) {
        Benchmark(name) { benchmark, prepared in
            let iteration = benchmark.currentIteration
            benchmark.startMeasurement()
            blackHole(try prepared.verify(iteration: iteration))
            benchmark.stopMeasurement()
        } setup: {
            try PreparedCredentials(cacheCapacity: cacheCapacity)
        }
    }

    register("verify/cached", cacheCapacity: 4096)
    register("verify/uncached", cacheCapacity: 0)
}
