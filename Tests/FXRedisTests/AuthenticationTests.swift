import FXLifecycle
import FXTestSupport
import FXRedis
import NIOCore
import Testing

@Suite(.enabled(if: TestRedis.isConfigured, "set FX_TEST_REDIS_URL (scripts/test-redis.sh start)"))
struct AuthenticationTests {
    @Test func passwordAndDatabaseFromURL() async throws {
        let server = try await RedisServerProcess(arguments: ["--requirepass", "s3cr:t@pw"])
        defer { server.destroy() }
        let base = "127.0.0.1:\(server.port)"

        // `:` and `@` in the password are percent-encoded in the URL.
        var db3 = try RedisConfiguration(url: "redis://:s3cr%3At%40pw@\(base)/3")
        db3.commandTimeout = TestRedis.patientTimeout
        var db0 = try RedisConfiguration(url: "redis://:s3cr%3At%40pw@\(base)")
        db0.commandTimeout = TestRedis.patientTimeout

        try await TestRedis.withClient(db3) { client async throws in
            try await client.set("selected", to: "three")
            #expect(try await client.send("CLIENT", ["INFO"]).string?.contains(" db=3 ") == true)
        }
        try await TestRedis.withClient(db0) { client async throws in
            #expect(try await client.get("selected") == nil)
            #expect(try await client.send("SELECT", ["3"]) == .simpleString("OK"))
        }
    }

    @Test func usernameAndPasswordFromURL() async throws {
        let server = try await RedisServerProcess(arguments: ["--user", "alice", "on", ">alice-pw", "~*", "&*", "+@all"])
        defer { server.destroy() }
        var config = try RedisConfiguration(url: "redis://alice:alice-pw@127.0.0.1:\(server.port)/2")
        config.commandTimeout = TestRedis.patientTimeout
        try await TestRedis.withClient(config) { client async throws in
            #expect(try await client.send("ACL", ["WHOAMI"]) == .bulk("alice"))
            #expect(try await client.send("CLIENT", ["INFO"]).string?.contains(" db=2 ") == true)
        }
    }

    @Test func wrongPasswordNeverConnectsAndFailsFast() async throws {
        let server = try await RedisServerProcess(arguments: ["--requirepass", "right"])
        defer { server.destroy() }
        var config = try RedisConfiguration(url: "redis://:wrong@127.0.0.1:\(server.port)")
        config.reconnectPolicy = TestRedis.fastReconnect
        let client = RedisClient(configuration: config, logger: TestRedis.logger)
        try await withRunning(client) { client in
            await #expect(throws: RedisError.timeout) {
                try await client.waitUntilConnected(timeout: .milliseconds(300))
            }
            await #expect(throws: RedisError.connectionUnavailable) {
                try await client.ping()
            }
        }
    }
}
