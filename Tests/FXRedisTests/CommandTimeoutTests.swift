import FXTestSupport
import FXRedis
import NIOCore
import Testing

@Suite(.enabled(if: TestRedis.isConfigured, "set FX_TEST_REDIS_URL (scripts/test-redis.sh start)"))
struct CommandTimeoutTests {
    @Test func timedOutCommandFailsAloneAndItsLateReplyIsDiscarded() async throws {
        // DEBUG SLEEP blocks the whole server, so this runs on a private one.
        let server = try await RedisServerProcess(arguments: ["--enable-debug-command", "yes"])
        defer { server.destroy() }
        var config = try RedisConfiguration(url: server.url)
        config.connectionCount = 1
        config.commandTimeout = .milliseconds(50)
        try await TestRedis.withClient(config) { client async throws in
            try await client.set("k", to: "own-value", timeout: .seconds(5))

            // Had the timeout not fired before the reply arrived after 0.3 s, this
            // would return `+OK` instead of throwing. A wall-clock bound is left
            // out on purpose: on a loaded machine it measures the test's own
            // scheduling latency. The sleep stays under the half second of silence
            // after a timeout that retires a connection (`SilentConnectionRule`):
            // with nothing else queued in time, a longer one costs a reconnect.
            await #expect(throws: RedisError.timeout) {
                try await client.send("DEBUG", ["SLEEP", "0.3"])
            }

            // The server is still asleep, so these queue behind the sleep's late `+OK`
            // on the same connection; a shifted FIFO would hand that reply to the GET.
            async let queuedGet = client.send("GET", ["k"], timeout: .seconds(5))
            async let queuedEcho = client.send("ECHO", ["echo-value"], timeout: .seconds(5))
            #expect(try await queuedGet == .bulk("own-value"))
            #expect(try await queuedEcho == .bulk("echo-value"))
            // Commands sent after the sleep still line up with their replies.
            #expect(try await client.send("ECHO", ["after"], timeout: .seconds(5)) == .bulk("after"))
            #expect(client.isConnected)
        }
    }

    @Test func perCallTimeoutOverridesTheClientDefault() async throws {
        let server = try await RedisServerProcess(arguments: ["--enable-debug-command", "yes"])
        defer { server.destroy() }
        var config = try RedisConfiguration(url: server.url)
        config.connectionCount = 1
        config.commandTimeout = .milliseconds(50)
        try await TestRedis.withClient(config) { client async throws in
            #expect(try await client.send("DEBUG", ["SLEEP", "0.1"], timeout: .seconds(5)) == .simpleString("OK"))
        }
    }
}
