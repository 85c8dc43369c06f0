import FXCore
import FXRedis
import Foundation
import Testing

@Suite("Shared sliding-window limits in Redis", .enabled(if: TestRedis.isConfigured))
struct RedisRateLimiterTests {
    private func uniqueKey() -> String { "test:\(UUID().uuidString)" }

    @Test func exactlyTheQuotaAcrossThreeReplicas() async throws {
        let key = uniqueKey()
        let window = RateLimitWindow(name: "hour", quota: 100, seconds: 3600)
        let configuration = try TestRedis.configuration()
        let admitted = try await TestRedis.withClient(configuration) { a in
            try await TestRedis.withClient(configuration) { b in
                try await TestRedis.withClient(configuration) { c in
                    let replicas = [a, b, c].map { RedisRateLimiter(client: $0) }
                    return try await withThrowingTaskGroup(of: Bool.self) { group in
                        for request in 0..<300 {
                            group.addTask { try await replicas[request % 3].acquire(key: key, windows: [window]).allowed }
                        }
                        return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                    }
                }
            }
        }
        #expect(admitted == 100)
    }

    @Test func allWindowsOrNoneAndDenialsConsumeNothing() async throws {
        let key = uniqueKey()
        let minute = RateLimitWindow(name: "minute", quota: 2, seconds: 60)
        let day = RateLimitWindow(name: "day", quota: 10, seconds: 86_400)
        try await TestRedis.withClient(try TestRedis.configuration()) { client in
            let limiter = RedisRateLimiter(client: client, keyPrefix: "fx:rl:")
            var decisions: [RateLimitDecision] = []
            for _ in 0..<5 { decisions.append(try await limiter.acquire(key: key, windows: [minute, day])) }
            #expect(decisions.map(\.allowed) == [true, true, false, false, false])
            let denied = try #require(decisions.last)
            #expect(denied.tightest?.window == minute)
            #expect((denied.retryAfterSeconds ?? 0) >= 1)
            #expect(denied.windows.first { $0.window == day }?.remaining == 8)

            // Fields are `<window seconds>:<fixed-window index>`; the two admitted requests may straddle the
            // start of a minute, so the counts are summed per window.
            let fields = try await client.send("HGETALL", [.init("fx:rl:" + key)]).array?.compactMap(\.string) ?? []
            var counts: [String: Int] = [:]
            for index in stride(from: 0, to: fields.count - 1, by: 2) {
                let window = String(fields[index].prefix { $0 != ":" })
                counts[window, default: 0] += Int(fields[index + 1]) ?? 0
            }
            #expect(counts == ["60": 2, "86400": 2])
            let ttl = try await client.send("PTTL", [.init("fx:rl:" + key)]).int ?? 0
            #expect(ttl > 86_400_000 && ttl <= 172_800_000)
        }
    }

    @Test func fieldsOfPastWindowsAreDroppedWhenANewWindowStarts() async throws {
        let key = uniqueKey()
        let minute = RateLimitWindow(name: "minute", quota: 10, seconds: 60)
        try await TestRedis.withClient(try TestRedis.configuration()) { client in
            let hash = RedisArgument("fx:rl:" + key)
            _ = try await client.send("HSET", [hash, "60:1", "7", "86400:1", "3"])
            #expect(try await RedisRateLimiter(client: client).acquire(key: key, windows: [minute]).allowed)
            let fields = try await client.send("HKEYS", [hash]).array?.compactMap(\.string) ?? []
            #expect(!fields.contains("60:1"), "the minute window's old field is gone")
            #expect(fields.contains("86400:1"), "other windows' fields are theirs to clean")
            #expect(fields.count == 2)
        }
    }

    /// Whoever can write a client's hash must not be able to crash a replica: counts that no limiter could have
    /// made come back as a Redis fault (for the breaker and the fallback), never as a decision or a trap.
    @Test(arguments: ["9223372036854775807", "-5", "1e300", "abc", "4000000000000"])
    func aForgedCountIsARedisFaultNotACrash(forged: String) async throws {
        let key = uniqueKey()
        let minute = RateLimitWindow(name: "minute", quota: 10, seconds: 60)
        try await TestRedis.withClient(try TestRedis.configuration()) { client in
            let time = try await client.send("TIME").array?.compactMap(\.string).compactMap { Int($0) } ?? []
            let index = ((time.first ?? 0) * 1000 + (time.last ?? 0) / 1000) / 60_000
            // This minute's field and the previous one's, in case the minute turns before the check runs.
            _ = try await client.send("HSET", [RedisArgument("fx:rl:" + key), RedisArgument("60:\(index)"),
                                               RedisArgument(forged), RedisArgument("60:\(index + 1)"), RedisArgument(forged)])
            await #expect(throws: RedisError.self) {
                try await RedisRateLimiter(client: client).acquire(key: key, windows: [minute])
            }
        }
    }
}
