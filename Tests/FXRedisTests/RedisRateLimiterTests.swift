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

    /// One check of a 10-a-day limit on a hash whose day-window fields `seed` gives, as (name after `86400s:`, value)
    /// for the current sub-window's index; returns the decision, the hash after it, and that index.
    private func checkDay(seed: (Int) -> [(String, Int)]) async throws -> (RateLimitDecision, [LimiterField: Int], Int) {
        let key = uniqueKey()
        return try await TestRedis.withClient(try TestRedis.configuration()) { client in
            let index = try await client.currentSubWindow(ofWindowSeconds: 86_400)
            _ = try await client.send("HSET", [RedisArgument("fx:rl:" + key), "60s:from", "1"]
                + seed(index).flatMap { [RedisArgument("86400s:" + $0.0), RedisArgument($0.1)] })
            let decision = try await RedisRateLimiter(client: client)
                .acquire(key: key, windows: [RateLimitWindow(name: "day", quota: 10, seconds: 86_400)])
            return (decision, try await client.limiterFields(ofHash: "fx:rl:" + key), index)
        }
    }

    private func day(_ name: String) -> LimiterField { LimiterField(window: "86400", name: name) }

    /// The sub-windows a window has left come off its sum and out of the hash, all but the one it is leaving,
    /// which still counts in part; another window's fields are left alone.
    @Test func subWindowsTheWindowHasLeftAreTakenOffTheSumAndDeleted() async throws {
        // Counted from index − 55 on: 2 there, 5 in the sub-window the window is leaving, 1 in the oldest it covers.
        let (decision, fields, index) = try await checkDay { index in
            [("from", index - 55), ("sum", 8), ("\(index - 55)", 2), ("\(index - 50)", 5), ("\(index - 49)", 1)]
        }
        #expect(decision.allowed)
        #expect(fields == [day("from"): index - 49, day("sum"): 2, day("\(index - 50)"): 5, day("\(index - 49)"): 1,
                           day("\(index)"): 1, LimiterField(window: "60", name: "from"): 1])
        // 5 leaving and 2 covered: 10 − 2 − 5 × (what is left of the leaving sub-window), rounded down.
        let remaining = try #require(decision.windows.first?.remaining)
        #expect((3...7).contains(remaining))
    }

    /// A client seen again after many sub-windows has its fields read whole (HGETALL), with the same result.
    @Test func aClientSeenAgainAfterAWhileHasItsLeftSubWindowsTakenOffToo() async throws {
        // Counted from index − 120 on (3 there, 4 at index − 100), and 2 in the sub-window that was leaving then:
        // all of them have left, so nothing stays in the sum.
        let (decision, fields, index) = try await checkDay { index in
            [("from", index - 120), ("sum", 7), ("\(index - 121)", 2), ("\(index - 120)", 3), ("\(index - 100)", 4)]
        }
        #expect(decision.allowed)
        #expect(decision.windows.first?.remaining == 9)
        #expect(fields == [day("from"): index - 49, day("sum"): 1, day("\(index)"): 1, LimiterField(window: "60", name: "from"): 1])
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
