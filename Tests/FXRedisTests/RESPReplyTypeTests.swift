import FXRedis
import NIOCore
import Testing

@Suite(.enabled(if: TestRedis.isConfigured, "set FX_TEST_REDIS_URL (scripts/test-redis.sh start)"))
struct RESPReplyTypeTests {
    let prefix = "fxredis:test:reply-types:"

    @Test func simpleString() async throws {
        try await TestRedis.withClient(TestRedis.configuration()) { client async throws in
            #expect(try await client.send("PING") == .simpleString("PONG"))
            #expect(try await client.send("SET", [RedisArgument(prefix + "s"), "v"]) == .simpleString("OK"))
        }
    }

    @Test func errorReplyFailsWithServerError() async throws {
        try await TestRedis.withClient(TestRedis.configuration()) { client async throws in
            let error = await #expect(throws: RedisError.self) {
                try await client.send("NOSUCHCOMMAND", ["x"])
            }
            guard case .server(let message) = error else {
                Issue.record("expected a server error, got \(String(describing: error))")
                return
            }
            #expect(message.hasPrefix("ERR unknown command"))
            // The connection stays usable after an error reply.
            #expect(try await client.send("ECHO", ["after-error"]) == .bulk("after-error"))
        }
    }

    @Test func integer() async throws {
        try await TestRedis.withClient(TestRedis.configuration()) { client async throws in
            let key = RedisArgument(prefix + "int")
            try await client.delete([key])
            #expect(try await client.send("INCRBY", [key, "41"]) == .integer(41))
            #expect(try await client.send("DECRBY", [key, "100"]) == .integer(-59))
        }
    }

    @Test func bulkStringNullAndEmpty() async throws {
        try await TestRedis.withClient(TestRedis.configuration()) { client async throws in
            let key = RedisArgument(prefix + "bulk")
            try await client.delete([key])
            #expect(try await client.send("GET", [key]) == .null)
            try await client.set(key, to: "")
            #expect(try await client.send("GET", [key]) == .bulkString(ByteBuffer()))
            try await client.set(key, to: "hello")
            #expect(try await client.get(key) == ByteBuffer(string: "hello"))
        }
    }

    @Test func arraysWithNullEmptyAndNestedElements() async throws {
        try await TestRedis.withClient(TestRedis.configuration()) { client async throws in
            let present = RedisArgument(prefix + "arr:present")
            let missing = RedisArgument(prefix + "arr:missing")
            try await client.delete([present, missing])
            try await client.set(present, to: "p")
            #expect(try await client.send("MGET", [present, missing]) == .array([.bulk("p"), .null]))
            #expect(try await client.send("LRANGE", [missing, "0", "-1"]) == .array([]))
            let nested = try await client.send("EVAL", ["return {1, {'a', {2}}, 'b'}", "0"])
            #expect(nested == .array([.integer(1), .array([.bulk("a"), .array([.integer(2)])]), .bulk("b")]))
        }
    }

    @Test func nullArray() async throws {
        try await TestRedis.withClient(TestRedis.configuration()) { client async throws in
            let key = RedisArgument(prefix + "blpop")
            try await client.delete([key])
            // BLPOP answers `*-1` when it times out.
            #expect(try await client.send("BLPOP", [key, "0.01"], timeout: TestRedis.patientTimeout) == .nullArray)
        }
    }

    @Test func errorInsideArray() async throws {
        // MULTI/EXEC needs all four commands on one connection.
        try await TestRedis.withClient(TestRedis.configuration(connectionCount: 1)) { client async throws in
            let key = RedisArgument(prefix + "exec")
            try await client.delete([key])
            #expect(try await client.send("MULTI") == .simpleString("OK"))
            #expect(try await client.send("SET", [key, "not-a-number"]) == .simpleString("QUEUED"))
            #expect(try await client.send("INCR", [key]) == .simpleString("QUEUED"))
            let reply = try await client.send("EXEC")
            #expect(reply == .array([.simpleString("OK"), .error("ERR value is not an integer or out of range")]))
        }
    }
}
