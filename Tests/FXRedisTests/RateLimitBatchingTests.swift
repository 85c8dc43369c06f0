import FXCore
import FXTestSupport
import Foundation
import Testing

@testable import FXRedis

/// A lane whose calls cannot be sent: the client never runs, so it has no connection.
@Suite struct RateLimitLaneWithoutConnectionTests {
    @Test func everyCheckOfAFailedCallFailsWithItsErrorAndTheLaneMovesOn() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration(), logger: TestRedis.logger)
        let lane = RateLimitLane(client: client, eventLoop: client.eventLoopGroup.next())
        let check = SlidingWindowCheck(hash: "k", windows: [RateLimitWindow(name: "minute", quota: 1, seconds: 60)])
        let failures = await withTaskGroup(of: (any Error)?.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    do {
                        _ = try await lane.decide(check, deadline: .now + TestRedis.patientTimeout)
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(failures.count == 50)
        #expect(failures.allSatisfy { ($0 as? RedisError) == .connectionUnavailable })
        #expect(lane.waitingCount == 0)
        // The lane is idle again: the next check is sent (and fails) at once, not stuck behind a call.
        await #expect(throws: RedisError.connectionUnavailable) {
            try await lane.decide(check, deadline: .now + TestRedis.patientTimeout)
        }
    }
}

@Suite(.enabled(if: TestRedis.isConfigured, "set FX_TEST_REDIS_URL (scripts/test-redis.sh start)"))
struct RateLimitBatchingTests {
    private let day = RateLimitWindow(name: "day", quota: 100, seconds: 86_400)

    private func uniqueKey() -> String { "test:batch:\(UUID().uuidString)" }

    @Test func threeHundredConcurrentChecksOfOneKeyAdmitExactlyTheQuotaInFarFewerCalls() async throws {
        // INFO commandstats is server-wide, so this runs on a private server.
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        try await TestRedis.withClient(try TestRedis.configuration(url: server.url)) { client async throws in
            let limiter = RedisRateLimiter(client: client)
            let key = uniqueKey()
            let decisions = try await withThrowingTaskGroup(of: RateLimitDecision.self) { group in
                for _ in 0..<300 {
                    group.addTask { try await limiter.acquire(key: key, windows: [day]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let allowed = decisions.filter(\.allowed)
            #expect(allowed.count == 100)
            // Checks are decided one after another: each admitted one saw a distinct count below the quota
            // (its remaining is what is left after it), each denied one saw the quota used up.
            #expect(Set(allowed.compactMap { $0.windows.first?.remaining }) == Set(0..<100))
            #expect(decisions.filter { !$0.allowed }.allSatisfy { $0.windows.first?.remaining == 0 })
            #expect(try await client.windowCounts(ofHash: "fx:rl:" + key).values.reduce(0, +) == 100)

            let calls = try await scriptCalls(on: client)
            #expect(calls < 300, "checks made at the same time share script calls")
            #expect(calls >= 3, "at most 128 checks per call")
        }
    }

    @Test func withBatchesOfOneEveryCheckIsItsOwnCallAndStillExact() async throws {
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        try await TestRedis.withClient(try TestRedis.configuration(url: server.url)) { client async throws in
            let limiter = RedisRateLimiter(client: client, maximumBatchSize: 1)
            let key = uniqueKey()
            let decisions = try await withThrowingTaskGroup(of: RateLimitDecision.self) { group in
                for _ in 0..<300 {
                    group.addTask { try await limiter.acquire(key: key, windows: [day]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(decisions.filter(\.allowed).count == 100)
            #expect(try await scriptCalls(on: client) >= 300, "a call per check (an EVAL after NOSCRIPT adds one)")
        }
    }

    @Test func checksOfManyKeysInterleavedEachGetExactlyTheirLimit() async throws {
        let configuration = try TestRedis.configuration()
        try await TestRedis.withClient(configuration) { client async throws in
            let limiter = RedisRateLimiter(client: client)
            // Some keys have two windows, the tighter one deciding; each key is tried three times its limit.
            let keys: [(key: String, windows: [RateLimitWindow], limit: Int)] = (1...12).map { index in
                let minute = RateLimitWindow(name: "minute", quota: 5 * index, seconds: 60)
                if index.isMultiple(of: 3) {
                    let day = RateLimitWindow(name: "day", quota: 2 * index, seconds: 86_400)
                    return (uniqueKey(), [minute, day], 2 * index)
                }
                return (uniqueKey(), [minute], 5 * index)
            }
            let attempts = keys.indices.flatMap { Array(repeating: $0, count: 3 * keys[$0].limit) }.shuffled()
            let admitted = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for index in attempts {
                    group.addTask {
                        (index, try await limiter.acquire(key: keys[index].key, windows: keys[index].windows).allowed)
                    }
                }
                return try await group.reduce(into: [Int: Int]()) { counts, outcome in
                    if outcome.1 { counts[outcome.0, default: 0] += 1 }
                }
            }
            for (index, key) in keys.enumerated() {
                #expect(admitted[index] == key.limit, "key \(index)")
                // All windows or none: every window of the key counted exactly the admitted checks.
                let counts = try await client.windowCounts(ofHash: "fx:rl:" + key.key)
                #expect(counts.count == key.windows.count)
                #expect(counts.values.allSatisfy { $0 == key.limit }, "key \(index): \(counts)")
            }
        }
    }

    @Test func cancelledCallersStillEndAndLeaveTheLaneServing() async throws {
        try await TestRedis.withClient(try TestRedis.configuration()) { client async throws in
            let limiter = RedisRateLimiter(client: client)
            let key = uniqueKey()
            let ended = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<200 {
                    group.addTask { (try? await limiter.acquire(key: key, windows: [day])) != nil }
                }
                group.cancelAll()
                return await group.reduce(0) { count, _ in count + 1 }
            }
            #expect(ended == 200)
            #expect(limiter.waitingCount == 0)
            #expect(try await limiter.acquire(key: key, windows: [day]).windows.count == 1)
        }
    }

    @Test func waitingChecksTimeOutUnsentWhileRedisIsPausedAndTheLaneServesAgainAfter() async throws {
        // CLIENT PAUSE holds the whole server, so this runs on a private one; one connection, so one lane.
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        let configuration = try TestRedis.configuration(url: server.url, connectionCount: 1)
        try await TestRedis.withClient(configuration) { client async throws in
            try await TestRedis.withClient(configuration) { admin async throws in
                let limiter = RedisRateLimiter(client: client)
                let key = uniqueKey()
                #expect(try await limiter.acquire(key: key, windows: [day]).allowed)

                // Writes, and so the script, wait in Redis until UNPAUSE; the admin's INFO and UNPAUSE do not.
                #expect(try await admin.send("CLIENT", ["PAUSE", "60000", "WRITE"]) == .simpleString("OK"))
                // The held call's deadline leaves a loaded machine seconds to see it held and queue the others.
                async let held = outcome { try await limiter.acquire(key: key, windows: [day], timeout: .seconds(5)) }
                try await waitUntilRedisHoldsACall(admin)

                // Behind the held call: one check whose deadline comes first fails by the lane's timer, unsent;
                // one whose deadline comes later goes out when the held call has failed, and times out itself.
                async let later = outcome { try await limiter.acquire(key: key, windows: [day], timeout: .seconds(7)) }
                while limiter.waitingCount < 1 { await Task.yield() }
                await #expect(throws: RedisError.timeout) {
                    try await limiter.acquire(key: key, windows: [day], timeout: .milliseconds(50))
                }
                let (heldOutcome, laterOutcome) = await (held, later)
                #expect(throws: RedisError.timeout) { try heldOutcome.get() }
                #expect(throws: RedisError.timeout) { try laterOutcome.get() }
                #expect(limiter.waitingCount == 0)

                #expect(try await admin.send("CLIENT", ["UNPAUSE"]) == .simpleString("OK"))
                let after = try await limiter.acquire(key: key, windows: [day])
                #expect(after.allowed)
                // Redis ran the two sent calls once it resumed (their replies came too late to count), before
                // this one on the same connection: the first check, those two and this one. The check that
                // timed out while waiting was never sent.
                #expect(try await client.windowCounts(ofHash: "fx:rl:" + key).values.reduce(0, +) == 4)
                #expect(after.windows.first?.remaining == 96)
            }
        }
    }

    /// Script calls the server has run: EVALSHA and EVAL from INFO commandstats.
    private func scriptCalls(on client: RedisClient) async throws -> Int {
        let info = try await client.send("INFO", ["commandstats"]).string ?? ""
        return info.split(whereSeparator: \.isNewline).reduce(0) { total, line in
            guard line.hasPrefix("cmdstat_evalsha:") || line.hasPrefix("cmdstat_eval:"),
                  let calls = line.split(separator: ",").first?.split(separator: "=").last.flatMap({ Int($0) })
            else { return total }
            return total + calls
        }
    }

    /// Returns once Redis holds a client's command under CLIENT PAUSE (INFO counts it as blocked): a round
    /// trip per look, no sleeps.
    private func waitUntilRedisHoldsACall(_ admin: RedisClient) async throws {
        try await withTimeout(.seconds(20)) {
            while true {
                let info = try await admin.send("INFO", ["clients"]).string ?? ""
                if info.contains("blocked_clients:1") { return }
                await Task.yield()
            }
        }
    }

    private func outcome<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }
}
