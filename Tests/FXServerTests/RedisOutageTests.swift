import FXCore
import FXLifecycle
import FXRedis
import FXServer
import FXTestSupport
import Foundation
import HummingbirdTesting
import Testing
import FXSupport

@Suite("Rate limiting through a Redis outage", .enabled(if: FileManager.default.fileExists(atPath: "/usr/bin/redis-server")))
struct RedisOutageTests {
    @Test func localFallbackServesWithoutServerErrorsAndSharedLimitsResume() async throws {
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        var configuration = try RedisConfiguration(url: server.url)
        configuration.reconnectPolicy = ReconnectBackoff(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(200))
        try await withRunning(RedisClient(configuration: configuration, logger: TestDatabase.logger)) { redis in
            try await redis.waitUntilConnected(timeout: .seconds(30))
            try await withRedisLimitedApp(redis) { http in
                try await expectConversionsServed(http, requests: 10)
                #expect(try await keysIn(server) > 0, "limits are counted in Redis")

                server.stop()
                try await expectConversionsServed(http, requests: 50)

                try await server.start()
                var resumed = false
                for _ in 0..<500 where !resumed {
                    try await expectConversionsServed(http, requests: 1)
                    resumed = try await keysIn(server) > 0
                    if !resumed { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(resumed, "shared limits resume once Redis is back")
            }
        }
    }

    /// Keys in the (restarted, empty) server: any means a replica counted a request there.
    private func keysIn(_ server: RedisServerProcess) async throws -> Int {
        var configuration = try RedisConfiguration(url: server.url)
        configuration.commandTimeout = .seconds(30)
        return try await withRunning(RedisClient(configuration: configuration, logger: TestDatabase.logger)) { probe in
            try await probe.waitUntilConnected(timeout: .seconds(30))
            return Int(try await probe.send("DBSIZE").int ?? 0)
        }
    }
}
