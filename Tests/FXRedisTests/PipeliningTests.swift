import FXRedis
import NIOCore
import Testing

@Suite(.enabled(if: TestRedis.isConfigured, "set FX_TEST_REDIS_URL (scripts/test-redis.sh start)"))
struct PipeliningTests {
    let prefix = "fxredis:test:pipelining:"

    @Test func tenThousandConcurrentIncrementsOnOneConnection() async throws {
        let config = try TestRedis.configuration(connectionCount: 1, commandTimeout: .seconds(30))
        try await TestRedis.withClient(config) { client async throws in
            let key = RedisArgument(prefix + "counter")
            try await client.delete([key])
            let results = try await withThrowingTaskGroup(of: Int64?.self) { group in
                for _ in 0..<10_000 {
                    group.addTask { try await client.send("INCR", [key]).int }
                }
                var results: [Int64] = []
                for try await result in group {
                    results.append(try #require(result))
                }
                return results
            }
            #expect(results.count == 10_000)
            #expect(Set(results) == Set(1...10_000))
        }
    }

    @Test func concurrentGetsReceiveTheirOwnValues() async throws {
        let config = try TestRedis.configuration(connectionCount: 1, commandTimeout: .seconds(30))
        try await TestRedis.withClient(config) { client async throws in
            let keys = (0..<2_000).map { "\(prefix)key:\($0)" }
            for (index, key) in keys.enumerated() {
                try await client.set(RedisArgument(key), to: RedisArgument("value-\(index)"))
            }
            let mismatches = try await withThrowingTaskGroup(of: Bool.self) { group in
                for round in 0..<5 {
                    for (index, key) in keys.enumerated() {
                        group.addTask {
                            // Mixing in commands of other reply types makes a shifted FIFO visible.
                            if (index + round) % 7 == 0 {
                                return try await client.send("PING") != .simpleString("PONG")
                            }
                            return try await client.send("GET", [RedisArgument(key)]) != .bulk("value-\(index)")
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(mismatches == 0)
        }
    }
}
