import FXRedis
import NIOCore
import Testing

@Suite(.enabled(if: TestRedis.isConfigured, "set FX_TEST_REDIS_URL (scripts/test-redis.sh start)"))
struct BinarySafetyTests {
    let prefix = "fxredis:test:binary:"

    @Test func everyByteValueRoundTrips() async throws {
        let value = (0...255).map { UInt8($0) } + (0...255).reversed().map { UInt8($0) }
        try await roundTrip(key: RedisArgument(bytes: Array((prefix + "all-bytes\u{0}\r\n").utf8)), value: value)
    }

    @Test func crlfAndRESPLookalikesRoundTrip() async throws {
        let value = Array("line\r\n+OK\r\n$5\r\n*2\r\n-ERR x\r\n:1\r\n\r\n".utf8)
        try await roundTrip(key: RedisArgument(prefix + "crlf"), value: value)
    }

    @Test func veryLongValueRoundTrips() async throws {
        // A pattern whose period (251, prime) is not a multiple of anything RESP cares about.
        let value = (0..<(8 * 1024 * 1024 + 13)).map { UInt8($0 % 251) }
        try await roundTrip(key: RedisArgument(prefix + "long"), value: value)
    }

    @Test func aValueReadInSlicesIsWhole() async throws {
        let value = (0..<(1024 * 1024 + 7)).map { UInt8($0 % 251) }
        try await TestRedis.withClient(TestRedis.configuration()) { client async throws in
            let key = RedisArgument(prefix + "sliced")
            try await client.set(key, to: RedisArgument(bytes: value))
            let whole = try await client.get(key, inSlicesOf: 64 * 1024, maximumBytes: value.count)
            #expect(whole.map { Array($0.readableBytesView) } == value)
            let tooLarge = try await client.get(key, inSlicesOf: 64 * 1024, maximumBytes: value.count - 1)
            #expect(tooLarge == nil)
            let missing = try await client.get(RedisArgument(prefix + "no-such-key"), inSlicesOf: 1024, maximumBytes: 1024)
            #expect(missing == nil)
        }
    }

    @Test func byteBufferAndStringArgumentsAgree() async throws {
        try await TestRedis.withClient(TestRedis.configuration()) { client async throws in
            let key = RedisArgument(prefix + "buffer")
            try await client.set(key, to: RedisArgument(ByteBuffer(string: "grüße ✓")))
            #expect(try await client.send("GET", [key]).string == "grüße ✓")
        }
    }

    private func roundTrip(key: RedisArgument, value: [UInt8]) async throws {
        try await TestRedis.withClient(TestRedis.configuration()) { client async throws in
            try await client.set(key, to: RedisArgument(bytes: value))
            let stored = try await client.get(key)
            #expect(stored.map { Array($0.readableBytesView) } == value)
            #expect(try await client.send("STRLEN", [key]) == .integer(Int64(value.count)))
        }
    }
}
