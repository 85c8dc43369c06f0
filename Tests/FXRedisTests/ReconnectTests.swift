import FXLifecycle
import FXTestSupport
import FXRedis
import NIOCore
import Testing

@Suite(.enabled(if: TestRedis.isConfigured, "set FX_TEST_REDIS_URL (scripts/test-redis.sh start)"))
struct ReconnectTests {
    private func configuration(_ url: String, connectionCount: Int) throws -> RedisConfiguration {
        var config = try RedisConfiguration(url: url)
        config.connectionCount = connectionCount
        config.commandTimeout = TestRedis.patientTimeout
        config.reconnectPolicy = TestRedis.fastReconnect
        return config
    }

    @Test func reconnectsAfterClientKill() async throws {
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        // CLIENT KILL skips the connection that sends it, so a second client kills the first.
        try await TestRedis.withClient(configuration(server.url, connectionCount: 1)) { admin async throws in
            try await TestRedis.withClient(configuration(server.url, connectionCount: 1)) { client async throws in
                let idBefore = try await client.send("CLIENT", ["ID"])
                let states = client.connectionStates()
                #expect(try await admin.send("CLIENT", ["KILL", "TYPE", "normal"]) == .integer(1))
                try await waitFor(.disconnected, in: states)
                try await waitFor(.connected, in: states)
                let idAfter = try await client.send("CLIENT", ["ID"])
                #expect(idAfter != idBefore)
                #expect(try await client.ping() == "PONG")
            }
        }
    }

    @Test func failsFastWhileDownAndReconnectsAfterRestart() async throws {
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        try await TestRedis.withClient(configuration(server.url, connectionCount: 3)) { client async throws in
            let states = client.connectionStates()
            #expect(try await client.ping() == "PONG")

            server.stop()
            try await waitFor(.disconnected, in: states)
            #expect(!client.isConnected)
            // `connectionUnavailable` rather than `timeout`: the send did not wait its 10 s for Redis.
            await #expect(throws: RedisError.connectionUnavailable) {
                try await client.send("PING", timeout: .seconds(10))
            }

            try await server.start()
            try await waitFor(.connected, in: states)
            #expect(try await client.ping() == "PONG")
        }
    }

    @Test func failsFastWhenRedisWasNeverUp() async throws {
        let server = try await RedisServerProcess()
        let url = server.url
        server.destroy()
        let client = RedisClient(configuration: try configuration(url, connectionCount: 2), logger: TestRedis.logger)
        try await withRunning(client) { client in
            // `connectionUnavailable` rather than `timeout`: neither send waited its 10 s for Redis.
            await #expect(throws: RedisError.connectionUnavailable) {
                try await client.send("PING", timeout: .seconds(10))
            }
            await #expect(throws: RedisError.connectionUnavailable) {
                try await client.get("anything")
            }
            #expect(!client.isConnected)
            await #expect(throws: RedisError.timeout) {
                try await client.waitUntilConnected(timeout: .milliseconds(200))
            }
        }
    }

    @Test func commandsAfterShutdownFailFast() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration(), logger: TestRedis.logger)
        try await withRunning(client) { client in
            try await client.waitUntilConnected(timeout: TestRedis.patientTimeout)
        }
        await #expect(throws: RedisError.connectionUnavailable) {
            try await client.ping()
        }
    }
}
