import FXLifecycle
import FXRedis
import FXSupport
import FXTestSupport
import Foundation
import Synchronization
import Testing

@Suite("Rate limiting through a Sentinel failover", .serialized,
       .enabled(if: FileManager.default.fileExists(atPath: "/usr/bin/redis-server")))
struct SentinelFailoverTests {
    /// A sentinel whose answer is stale (here: it names the replica) must not keep the client from the primary
    /// the next sentinel names: `ROLE` rejects the replica and discovery moves on.
    @Test func aSentinelNamingAReplicaIsPassedOverForTheNext() async throws {
        let group = try await SentinelGroup()
        defer { group.destroy() }
        let stale = try await RedisServerProcess(
            port: try await TestPorts.port(TestPorts.sentinelGroup + 5),
            sentinelConfiguration: "sentinel monitor \(SentinelGroup.primaryName) 127.0.0.1 \(group.replica.port) 2\n")
        defer { stale.destroy() }
        let configuration = try group.clientConfiguration(url: group.url.replacingOccurrences(
            of: "redis+sentinel://", with: "redis+sentinel://127.0.0.1:\(stale.port),"))
        try await withRunning(RedisClient(configuration: configuration, logger: TestDatabase.logger)) { redis in
            try await redis.waitUntilConnected(timeout: .seconds(10))
            let role = try await redis.send("ROLE", timeout: .seconds(5))
            #expect(role.array?.first?.string == "master")
        }
    }

    /// The pub/sub subscriber (cache invalidations) follows the primary: after a failover it is subscribed on
    /// the promoted replica, where a publish now reaches it.
    @Test func theSubscriberFollowsThePrimary() async throws {
        let group = try await SentinelGroup()
        defer { group.destroy() }
        try await group.waitUntilReady()
        let configuration = try group.clientConfiguration()
        let channel = "fx:test:sentinel-failover"
        let subscriber = RedisSubscriber(configuration: configuration, channels: [channel], logger: TestDatabase.logger)
        try await withRunning(subscriber) { subscriber in
            try await SentinelGroup.poll(until: .now + .seconds(30)) {
                try await SentinelGroup.send(["PUBLISH", channel, "before"], to: group.primary.port).int == 1
            }
            _ = try await SentinelGroup.send(["SENTINEL", "FAILOVER", SentinelGroup.primaryName], to: group.sentinels[0].port)
            try await SentinelGroup.poll(until: .now + .seconds(30)) {
                try await SentinelGroup.send(["PUBLISH", channel, "after"], to: group.replica.port).int == 1
            }
            #expect(try await SentinelGroup.send(["PUBLISH", channel, "after"], to: group.primary.port).int == 0,
                    "nothing stays subscribed on the demoted primary")
        }
    }

    /// A forced failover under concurrent load: every request is answered (locally while no primary is
    /// reachable), shared limits resume on the promoted replica within the sentinel timeout plus 2 s, and the
    /// demoted primary runs no script after that.
    @Test func forcedFailoverUnderLoadGivesNoServerErrorsAndLimitsResumeOnTheNewPrimary() async throws {
        let group = try await SentinelGroup()
        defer { group.destroy() }
        try await group.waitUntilReady()
        let configuration = try group.clientConfiguration()
        try await withRunning(RedisClient(configuration: configuration, logger: TestDatabase.logger)) { redis in
            try await redis.waitUntilConnected(timeout: .seconds(30))
            try await withRedisLimitedApp(redis) { http in
                let port = try #require(http.port)
                try await expectConversionsServed(http, requests: 5)
                #expect(try await SentinelGroup.completedScripts(on: group.primary.port) > 0, "limits are counted on the primary")

                let load = LoadGenerator(port: port)
                let loadTask = Task { await load.run(workers: 8) }
                try await SentinelGroup.poll(until: .now + .seconds(30)) { load.statuses.total >= 50 }

                let start = ContinuousClock.now
                _ = try await SentinelGroup.send(["SENTINEL", "FAILOVER", SentinelGroup.primaryName], to: group.sentinels[0].port)
                try await SentinelGroup.poll(until: .now + .seconds(30)) {
                    try await group.primaryPort() == group.replica.port
                }
                let switched = ContinuousClock.now - start
                try await SentinelGroup.poll(until: .now + .seconds(30)) {
                    try await SentinelGroup.completedScripts(on: group.replica.port) > 0
                }
                let resumed = ContinuousClock.now - start
                try await SentinelGroup.poll(until: .now + .seconds(30)) { load.statuses.total >= 50 + 200 }
                load.stop()
                await loadTask.value

                let demotedScripts = try await SentinelGroup.completedScripts(on: group.primary.port)
                try await expectConversionsServed(http, requests: 50)
                #expect(try await SentinelGroup.completedScripts(on: group.primary.port) == demotedScripts,
                        "no script runs on the demoted primary")

                let statuses = load.statuses
                #expect(statuses.serverErrors == 0, "5xx during the failover: \(statuses)")
                #expect(statuses.other == 0, "neither 200 nor 5xx: \(statuses)")
                #expect(resumed < SentinelGroup.downAfter + .seconds(2), "shared limits resumed after \(resumed)")
                print("sentinel failover: switch-master after \(switched), shared limits resumed after \(resumed); \(statuses)")
            }
        }
    }
}

/// Concurrent conversions, each on a connection of its own, until stopped; counts the answers.
final class LoadGenerator: Sendable {
    struct Statuses: Sendable, CustomStringConvertible {
        var ok = 0
        var serverErrors = 0
        var other = 0
        var total: Int { ok + serverErrors + other }
        var description: String { "\(total) requests: \(ok) 200, \(serverErrors) 5xx, \(other) other" }
    }

    private let port: Int
    private let counts = Mutex(Statuses())
    private let stopped = Atomic(false)

    init(port: Int) {
        self.port = port
    }

    var statuses: Statuses { counts.withLock { $0 } }

    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    func run(workers: Int) async {
        await withDiscardingTaskGroup { group in
            for _ in 0..<workers {
                group.addTask {
                    while !self.stopped.load(ordering: .relaxed) {
                        let response = (try? await RawConnection.exchange(port: self.port, "/v1/convert?from=EUR&to=USD&amount=1")) ?? ""
                        self.counts.withLock { counts in
                            if response.hasPrefix("HTTP/1.1 200") {
                                counts.ok += 1
                            } else if response.hasPrefix("HTTP/1.1 5") {
                                counts.serverErrors += 1
                            } else {
                                counts.other += 1
                            }
                        }
                    }
                }
            }
        }
    }
}
