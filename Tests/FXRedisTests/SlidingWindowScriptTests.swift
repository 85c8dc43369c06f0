import FXCore
import FXTestSupport
import Foundation
import Testing

@testable import FXRedis

@Suite(.enabled(if: TestRedis.isConfigured, "set FX_TEST_REDIS_URL (scripts/test-redis.sh start)"))
struct SlidingWindowScriptTests {
    private func uniqueHash() -> String { "fx:rl:test:script:\(UUID().uuidString)" }

    @Test func oneCallDecidesSeveralChecksInOrderAndARepeatedHashSeesTheEarlierCount() async throws {
        try await TestRedis.withClient(try TestRedis.configuration()) { client async throws in
            let (a, b) = (uniqueHash(), uniqueHash())
            let one = [RateLimitWindow(name: "minute", quota: 1, seconds: 60)]
            let two = [RateLimitWindow(name: "minute", quota: 5, seconds: 60),
                       RateLimitWindow(name: "day", quota: 1, seconds: 86_400)]
            let checks = [SlidingWindowCheck(hash: a, windows: one), SlidingWindowCheck(hash: a, windows: one),
                          SlidingWindowCheck(hash: b, windows: two), SlidingWindowCheck(hash: b, windows: two)]
            let reply = try await client.evalSHA(SlidingWindowScript.script, keys: checks.map(\.hash),
                                                 args: checks.flatMap(\.arguments))
            let parts = try SlidingWindowScript.split(reply, windowCounts: checks.map(\.windowCount))
            // allowed, then per window leaving, inWindow, elapsed-ms, and the covered sub-windows' counts (after
            // their number) only for a window that is full.
            #expect(parts.map(\.count) == [5, 55, 9, 59])
            #expect(parts[0][0...2] == [1, 0, 0])
            #expect(parts[1][0...2] == [0, 0, 1], "the second check of a sees the first one's count")
            #expect(parts[1][4] == 50 && parts[1][5...].reduce(0, +) == 1, "a full window lists its sub-windows")
            #expect([parts[2][0], parts[2][1], parts[2][2], parts[2][4], parts[2][5], parts[2][6], parts[2][8]] == [1, 0, 0, 0, 0, 0, 0])
            // b's day window is used up by its first check: the second is denied, and its minute window counts
            // nothing either.
            #expect([parts[3][0], parts[3][1], parts[3][2], parts[3][4], parts[3][5], parts[3][6], parts[3][8]] == [0, 0, 1, 0, 0, 1, 50])
            #expect(try await client.windowCounts(ofHash: b) == ["60": 1, "86400": 1])
        }
    }

    @Test func aCheckWithoutWindowsIsAdmittedAndCountsNothingWithoutFailingTheCall() async throws {
        try await TestRedis.withClient(try TestRedis.configuration()) { client async throws in
            let hash = uniqueHash()
            let checks = [SlidingWindowCheck(hash: hash, windows: []),
                          SlidingWindowCheck(hash: hash, windows: [RateLimitWindow(name: "minute", quota: 1, seconds: 60)])]
            let reply = try await client.evalSHA(SlidingWindowScript.script, keys: checks.map(\.hash),
                                                 args: checks.flatMap(\.arguments))
            let parts = try SlidingWindowScript.split(reply, windowCounts: checks.map(\.windowCount))
            #expect(parts[0] == [1])
            #expect(parts[1][0...2] == [1, 0, 0] && parts[1].count == 5)
            #expect(try await client.windowCounts(ofHash: hash) == ["60": 1])
        }
    }

    @Test func checksOfOneHashInACallReadItOnceAndCountEachFieldOnce() async throws {
        // INFO commandstats is server-wide, so this runs on a private server.
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        try await TestRedis.withClient(try TestRedis.configuration(url: server.url)) { client async throws in
            let hash = uniqueHash()
            let windows = [RateLimitWindow(name: "minute", quota: 40, seconds: 60),
                           RateLimitWindow(name: "day", quota: 1_000, seconds: 86_400)]
            let checks = Array(repeating: SlidingWindowCheck(hash: hash, windows: windows), count: 50)
            let reply = try await client.evalSHA(SlidingWindowScript.script, keys: checks.map(\.hash),
                                                 args: checks.flatMap(\.arguments))
            let parts = try SlidingWindowScript.split(reply, windowCounts: checks.map(\.windowCount))
            #expect(parts.filter { $0[0] == 1 }.count == 40)
            #expect(parts.map { $0[2] } == Array(0..<40) + Array(repeating: 40, count: 10),
                    "each check sees the count the earlier ones of the call left")
            #expect(try await client.windowCounts(ofHash: hash) == ["60": 40, "86400": 40])

            let info = try await client.send("INFO", ["commandstats"]).string ?? ""
            func calls(_ command: String) -> Int? {
                info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("cmdstat_\(command):") }
                    .flatMap { $0.split(separator: ",").first?.split(separator: "=").last }
                    .flatMap { Int($0) }
            }
            #expect(calls("hmget") == 2, "one for the hash, one for the full minute's sub-windows")
            #expect(calls("hset") == 2, "one per window: its sub-window, sum and from, for all 40 admitted checks")
            #expect(calls("hincrby") == nil)
        }
    }
}
