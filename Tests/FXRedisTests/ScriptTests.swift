import FXTestSupport
import FXRedis
import NIOCore
import Testing

@Suite struct RedisScriptDigestTests {
    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        ("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
    ])
    func sha1MatchesKnownVectors(source: String, digest: String) {
        #expect(RedisScript(source).sha1 == digest)
    }
}

@Suite(.enabled(if: TestRedis.isConfigured, "set FX_TEST_REDIS_URL (scripts/test-redis.sh start)"))
struct ScriptTests {
    @Test func localSHA1MatchesScriptLoad() async throws {
        try await TestRedis.withClient(TestRedis.configuration()) { client async throws in
            let script = RedisScript("return 'digest check ' .. 'ü' .. #ARGV")
            #expect(try await client.send("SCRIPT", ["LOAD", RedisArgument(script.source)]) == .bulk(script.sha1))
        }
    }

    @Test func evalSHARunsWithKeysAndArguments() async throws {
        try await TestRedis.withClient(TestRedis.configuration()) { client async throws in
            let script = RedisScript("redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1]) .. ARGV[2]")
            let key = RedisArgument("fxredis:test:scripts:evalsha")
            let reply = try await client.evalSHA(script, keys: [key], args: ["stored", "+suffix"])
            #expect(reply == .bulk("stored+suffix"))
            #expect(try await client.get(key) == ByteBuffer(string: "stored"))
        }
    }

    @Test func recoversFromNoScriptAfterScriptFlush() async throws {
        // SCRIPT FLUSH is server-wide, so this runs on a private server.
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        try await TestRedis.withClient(try TestRedis.configuration(url: server.url)) { client async throws in
            let script = RedisScript("return tonumber(ARGV[1]) * 2")
            #expect(try await client.evalSHA(script, args: ["21"]) == .integer(42))
            #expect(try await client.send("SCRIPT", ["EXISTS", RedisArgument(script.sha1)]) == .array([.integer(1)]))

            #expect(try await client.send("SCRIPT", ["FLUSH"]) == .simpleString("OK"))
            #expect(try await client.send("SCRIPT", ["EXISTS", RedisArgument(script.sha1)]) == .array([.integer(0)]))

            #expect(try await client.evalSHA(script, args: ["50"]) == .integer(100))
            // The EVAL fallback cached the script again.
            #expect(try await client.send("SCRIPT", ["EXISTS", RedisArgument(script.sha1)]) == .array([.integer(1)]))
        }
    }

    /// The `EVAL` after `NOSCRIPT` gets what the `EVALSHA` left of the call's timeout, not a timeout of its own:
    /// a paused server holds the `EVALSHA` through most of the budget before it answers `NOSCRIPT`, and the script
    /// then runs longer than the rest. With a fresh timeout for the `EVAL`, the call took the pause plus a whole
    /// second timeout (3.1 s for a budget of 2 s).
    @Test func theEvalFallbackStaysWithinTheCallsTimeout() async throws {
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        let configuration = try TestRedis.configuration(url: server.url, connectionCount: 1)
        try await TestRedis.withClient(configuration) { admin async throws in
            try await TestRedis.withClient(configuration) { client async throws in
                // Redis freezes TIME inside a script, so the script spins a number of times measured here first.
                let spin = RedisScript("local n = 0 for i = 1, tonumber(ARGV[1]) do n = n + 1 end return n")
                let probe = 20_000_000
                let started = ContinuousClock.now
                _ = try await admin.send("EVAL", [RedisArgument(spin.source), "0", RedisArgument(probe)])
                let spinsFor3Seconds = Int(Double(probe) * (Duration.seconds(3) / (ContinuousClock.now - started)))
                #expect(try await admin.send("SCRIPT", ["FLUSH"]) == .simpleString("OK"))

                let budget = Duration.seconds(2)
                // Scripts wait in Redis until the pause ends (EVALSHA may write), so NOSCRIPT comes after 1.2 s.
                #expect(try await admin.send("CLIENT", ["PAUSE", "1200", "WRITE"]) == .simpleString("OK"))
                let sent = ContinuousClock.now
                _ = try? await client.evalSHA(spin, args: [RedisArgument(spinsFor3Seconds)], timeout: budget)
                let elapsed = ContinuousClock.now - sent
                print("EVALSHA then EVAL of \(spinsFor3Seconds) spins with a budget of \(budget): \(elapsed)")
                #expect(elapsed < budget + .milliseconds(600), "the call took \(elapsed) with a budget of \(budget)")
            }
        }
    }
}
