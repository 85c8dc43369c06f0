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

            #expect(try await client.windowCounts(ofHash: "fx:rl:" + key) == ["60": 2, "86400": 2])
            let ttl = try await client.send("PTTL", [.init("fx:rl:" + key)]).int ?? 0
            #expect(ttl > 86_400_000 && ttl <= 172_800_000)
        }
    }

    @Test func fieldsOfTheFixedWindowsBeforeSubWindowsAreDroppedWhenTheWindowIsFirstMet() async throws {
        let key = uniqueKey()
        let minute = RateLimitWindow(name: "minute", quota: 10, seconds: 60)
        try await TestRedis.withClient(try TestRedis.configuration()) { client in
            let hash = RedisArgument("fx:rl:" + key)
            _ = try await client.send("HSET", [hash, "60:1", "7", "86400:1", "3"])
            #expect(try await RedisRateLimiter(client: client).acquire(key: key, windows: [minute]).allowed)
            let fields = try await client.send("HKEYS", [hash]).array?.compactMap(\.string) ?? []
            #expect(!fields.contains("60:1"), "the minute window's old field is gone")
            #expect(fields.contains("86400:1"), "other windows' fields are theirs to clean")
            #expect(try await client.windowCounts(ofHash: "fx:rl:" + key) == ["60": 1])
        }
    }

    /// The sub-windows a window has left come off its sum and out of the hash, all but the one it is leaving,
    /// which still counts in part.
    @Test func subWindowsTheWindowHasLeftAreTakenOffTheSumAndDeleted() async throws {
        let key = uniqueKey()
        let day = RateLimitWindow(name: "day", quota: 10, seconds: 86_400)
        try await TestRedis.withClient(try TestRedis.configuration()) { client in
            let index = try await client.currentSubWindow(ofWindowSeconds: 86_400)
            let hash = RedisArgument("fx:rl:" + key)
            // Counted from index − 55 on: 2 there, 5 in the sub-window the window is leaving, 1 in the oldest it covers.
            _ = try await client.send("HSET", [hash, "86400s:from", RedisArgument(index - 55), "86400s:sum", "8",
                                               RedisArgument("86400s:\(index - 55)"), "2", RedisArgument("86400s:\(index - 50)"), "5",
                                               RedisArgument("86400s:\(index - 49)"), "1"])
            let decision = try await RedisRateLimiter(client: client).acquire(key: key, windows: [day])
            #expect(decision.allowed)
            func field(_ name: String) -> LimiterField { LimiterField(window: "86400", name: name) }
            #expect(try await client.limiterFields(ofHash: "fx:rl:" + key) == [
                field("from"): index - 49, field("sum"): 2, field("\(index - 50)"): 5, field("\(index - 49)"): 1, field("\(index)"): 1,
            ])
            // 5 leaving and 2 covered: 10 − 2 − 5 × (what is left of the leaving sub-window), rounded down.
            let remaining = try #require(decision.windows.first?.remaining)
            #expect((3...7).contains(remaining))
        }
    }

    /// A client seen again after many sub-windows: its fields are read whole (HGETALL), and the result is the
    /// same as sub-window by sub-window.
    @Test func aClientSeenAgainAfterAWhileHasItsLeftSubWindowsTakenOffToo() async throws {
        let key = uniqueKey()
        let day = RateLimitWindow(name: "day", quota: 10, seconds: 86_400)
        try await TestRedis.withClient(try TestRedis.configuration()) { client in
            let index = try await client.currentSubWindow(ofWindowSeconds: 86_400)
            let hash = RedisArgument("fx:rl:" + key)
            // Counted from index − 120 on (3 there, 4 at index − 100), and 2 in the sub-window that was leaving
            // then: all of them have left, so nothing stays in the sum; another window's field is left alone.
            _ = try await client.send("HSET", [hash, "86400s:from", RedisArgument(index - 120), "86400s:sum", "7",
                                               RedisArgument("86400s:\(index - 121)"), "2", RedisArgument("86400s:\(index - 120)"), "3",
                                               RedisArgument("86400s:\(index - 100)"), "4", "60s:from", "1"])
            let decision = try await RedisRateLimiter(client: client).acquire(key: key, windows: [day])
            #expect(decision.allowed)
            #expect(decision.windows.first?.remaining == 9)
            func field(_ name: String) -> LimiterField { LimiterField(window: "86400", name: name) }
            #expect(try await client.limiterFields(ofHash: "fx:rl:" + key) == [
                field("from"): index - 49, field("sum"): 1, field("\(index)"): 1, LimiterField(window: "60", name: "from"): 1,
            ])
        }
    }

    /// Whoever can write a client's hash must not be able to crash a replica: counts that no limiter could have
    /// made come back as a Redis fault (for the breaker and the fallback), never as a decision or a trap.
    @Test(arguments: ["9223372036854775807", "-5", "1e300", "abc", "4000000000000"])
    func aForgedCountIsARedisFaultNotACrash(forged: String) async throws {
        let key = uniqueKey()
        let day = RateLimitWindow(name: "day", quota: 10, seconds: 86_400)
        try await TestRedis.withClient(try TestRedis.configuration()) { client in
            let index = try await client.currentSubWindow(ofWindowSeconds: 86_400)
            // A window that has been counted since before this sub-window, so the forged sum is read as it is.
            _ = try await client.send("HSET", [RedisArgument("fx:rl:" + key), "86400s:from", RedisArgument(index - 49),
                                               "86400s:sum", RedisArgument(forged)])
            await #expect(throws: RedisError.self) {
                try await RedisRateLimiter(client: client).acquire(key: key, windows: [day])
            }
        }
    }

    /// A forged `from` must not spin the script: past 2^52 a Lua loop's step of 1 is lost.
    @Test(arguments: ["-1e300", "1e300", "0.5", "4503599627370497"])
    func aForgedSubWindowIndexIsARedisFaultNotAHang(forged: String) async throws {
        let key = uniqueKey()
        let minute = RateLimitWindow(name: "minute", quota: 10, seconds: 60)
        try await TestRedis.withClient(try TestRedis.configuration()) { client in
            _ = try await client.send("HSET", [RedisArgument("fx:rl:" + key), "60s:from", RedisArgument(forged), "60s:sum", "1"])
            await #expect(throws: RedisError.self) {
                try await RedisRateLimiter(client: client).acquire(key: key, windows: [minute], timeout: .seconds(5))
            }
            #expect(try await client.send("PING").string == "PONG", "Redis still answers")
        }
    }
}
