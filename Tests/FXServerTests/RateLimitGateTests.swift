import FXCore
import FXLifecycle
import FXRedis
import Foundation
import Logging
import Testing

@testable import FXServer

@Suite("The rate-limit gate: shared limits, fallbacks and the denied-client memory")
struct RateLimitGateTests {
    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    let window = RateLimitWindow(name: "minute", quota: 9, seconds: 60)

    /// A real client for a port where nothing listens: every command fails fast, as when Redis is down.
    private func withUnreachableRedis(_ body: (RedisRateLimiter) async throws -> Void) async throws {
        var configuration = RedisConfiguration(host: "127.0.0.1", port: 1)
        configuration.connectTimeout = .milliseconds(100)
        try await withRunning(RedisClient(configuration: configuration, logger: Self.quiet)) { client in
            try await body(RedisRateLimiter(client: client))
        }
    }

    private func gate(_ shared: (any RateLimiter)?, fallback: RateLimitFallback = .local) -> RateLimitGate {
        RateLimitGate(shared: shared, local: InProcessRateLimiter(), breaker: CircuitBreaker(name: "redis", logger: Self.quiet),
                      fallback: fallback, expectedReplicas: 3)
    }

    private func admitted(_ gate: RateLimitGate, key: String, attempts: Int = 20) async -> Int {
        var count = 0
        for _ in 0..<attempts {
            if case .decided(let decision) = await gate.acquire(key: key, windows: [window]), decision.allowed { count += 1 }
        }
        return count
    }

    @Test func withoutRedisTheWholeQuotaIsLocal() async {
        #expect(await admitted(gate(nil), key: "a") == 9)
    }

    @Test func localFallbackDividesByExpectedReplicas() async throws {
        try await withUnreachableRedis { limiter in
            #expect(await admitted(gate(limiter), key: "a") == 3)
        }
    }

    @Test func openFallbackAllowsAndClosedRefuses() async throws {
        try await withUnreachableRedis { limiter in
            #expect(await admitted(gate(limiter, fallback: .open), key: "a") == 20)
            guard case .unavailable = await gate(limiter, fallback: .closed).acquire(key: "a", windows: [window]) else {
                Issue.record("closed fallback should refuse")
                return
            }
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["FX_TEST_REDIS_URL"] != nil))
    func deniedClientsAreRememberedWithoutAskingRedis() async throws {
        let url = try #require(ProcessInfo.processInfo.environment["FX_TEST_REDIS_URL"])
        var configuration = try RedisConfiguration(url: url)
        configuration.commandTimeout = .seconds(5)
        try await withRunning(RedisClient(configuration: configuration, logger: Self.quiet)) { client in
            try await client.waitUntilConnected(timeout: .seconds(30))
            let key = "gate-\(UUID().uuidString)"
            let small = RateLimitWindow(name: "minute", quota: 1, seconds: 60)
            // Fallback closed: a denial can only come from Redis or from the replica's memory of one.
            let gate = self.gate(RedisRateLimiter(client: client, keyPrefix: "fx:rl:"), fallback: .closed)
            _ = await gate.acquire(key: key, windows: [small])
            guard case .decided(let denied) = await gate.acquire(key: key, windows: [small]) else { return }
            #expect(!denied.allowed)

            // Forget the client in Redis: only the replica's own memory can still deny it.
            _ = try await client.delete([RedisArgument("fx:rl:" + key)])
            guard case .decided(let remembered) = await gate.acquire(key: key, windows: [small]) else { return }
            #expect(!remembered.allowed)
            #expect((remembered.retryAfterSeconds ?? 0) >= 1)
        }
    }
}
