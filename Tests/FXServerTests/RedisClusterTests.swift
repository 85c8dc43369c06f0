import FXCore
import FXLifecycle
import FXRedis
import FXServer
import FXSupport
import Foundation
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import FXTestSupport

/// fxrates on a real Redis Cluster of 3 primaries and 3 replicas on loopback, started for each test and stopped
/// by PID after it: exact limits across replicas, a slot migrating under load, a primary killed under load, the
/// invalidation subscriber moving off a dead node, and the rate snapshot.
@Suite("Redis Cluster", .serialized,
       .enabled(if: RedisClusterProcesses.isAvailable, "needs redis-server and redis-cli"))
struct RedisClusterTests {
    private static let logger = Logger(label: "fxrates.test.cluster") { _ in SwiftLogNoOpLogHandler() }

    private func withCluster(_ body: (RedisClusterProcesses) async throws -> Void) async throws {
        let cluster = try await RedisClusterProcesses()
        do {
            try await body(cluster)
        } catch {
            cluster.destroy()
            throw error
        }
        cluster.destroy()
    }

    /// A client of the cluster, as `fxrates serve` makes it, but patient: a loaded CI machine must not turn a
    /// slow answer into a fallback decision, which the tests would count as a failure.
    private func client(_ url: String) throws -> RedisClient {
        var configuration = try RedisConfiguration(url: url)
        configuration.commandTimeout = .seconds(5)
        configuration.reconnectPolicy = ReconnectBackoff(initialDelay: .milliseconds(100), maximumDelay: .seconds(1))
        return RedisClient(configuration: configuration, logger: Self.logger)
    }

    private func limits(_ policy: String, shared: any RateLimiter) throws -> RateLimiting {
        var settings = Settings()
        settings.anonymousLimits = try LimitPolicy(parsing: policy)
        settings.rateLimitFallback = .local
        return RateLimiting(settings: settings, shared: shared)
    }

    /// The key an anonymous client on loopback is limited under.
    private func limiterKey(prefix: String) -> String { prefix + "ip:127.0.0.1" }

    @Test func limitsAreExactAcrossReplicasSharingTheCluster() async throws {
        try await withCluster { cluster in
            let prefix = "fx:test:\(UUID().uuidString):"
            try await withRunning(client(cluster.url)) { a in
                try await withRunning(client(cluster.url)) { b in
                    try await withRunning(client(cluster.url)) { c in
                        for redis in [a, b, c] { try await redis.waitUntilConnected(timeout: .seconds(10)) }
                        let limiters = [a, b, c].map { ObservedLimiter(RedisRateLimiter(client: $0, keyPrefix: prefix)) }
                        try await withKeyedApp(apiKeys: EmptyAPIKeyStore(), rateLimiting: limits("100/hour", shared: limiters[0])) { appA in
                            try await withKeyedApp(apiKeys: EmptyAPIKeyStore(), rateLimiting: limits("100/hour", shared: limiters[1])) { appB in
                                try await withKeyedApp(apiKeys: EmptyAPIKeyStore(), rateLimiting: limits("100/hour", shared: limiters[2])) { appC in
                                    let ports = [appA, appB, appC].compactMap(\.port)
                                    #expect(ports.count == 3)
                                    let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                                        for request in 0..<300 {
                                            group.addTask { try await ClusterLoad.status(port: ports[request % 3]) }
                                        }
                                        return try await group.reduce(into: [Int]()) { $0.append($1) }
                                    }
                                    #expect(statuses.filter { $0 == 200 }.count == 100)
                                    #expect(statuses.filter { $0 == 429 }.count == 200)
                                }
                            }
                        }
                        #expect(limiters.allSatisfy { limiter in limiter.all.allSatisfy { $0.succeeded } }, "Redis decided every check")
                    }
                }
            }
        }
    }

    /// Many clients' checks at once: batches form per slot (a script call may touch one slot only), so every
    /// check is decided, each client counted once.
    @Test func checksOfManyClientsAreBatchedPerSlot() async throws {
        try await withCluster { cluster in
            let prefix = "fx:test:\(UUID().uuidString):"
            try await withRunning(client(cluster.url)) { redis in
                try await redis.waitUntilConnected(timeout: .seconds(10))
                let limiter = RedisRateLimiter(client: redis, keyPrefix: prefix)
                let windows = [RateLimitWindow(name: "minute", quota: 1, seconds: 60)]
                let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for client in 0..<400 {
                        group.addTask { try await limiter.acquire(key: "client-\(client % 200)", windows: windows).allowed }
                    }
                    return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
                }
                #expect(allowed == 200)
            }
        }
    }

    /// The slot of the limiter's key moves to another primary while requests keep coming: `ASK` while its key is
    /// on the target and the slot still the source's, `MOVED` after. Every request is answered 200 by a decision
    /// of Redis, and the key counts every one of them.
    @Test func aSlotMigratesUnderLoadWithoutAFailedRequest() async throws {
        try await withCluster { cluster in
            let prefix = "fx:test:\(UUID().uuidString):"
            let key = limiterKey(prefix: prefix)
            let slot = try await cluster.slot(ofKey: key)
            let source = try await cluster.primaryPort(ofSlot: slot, askingPort: cluster.ports[0])
            let primaries = try await cluster.primaryPorts(askingPort: cluster.ports[0])
            let target = try #require(primaries.first { $0 != source })
            let (sourceID, targetID) = (try await cluster.nodeID(source), try await cluster.nodeID(target))

            try await withRunning(client(cluster.url)) { redis in
                try await redis.waitUntilConnected(timeout: .seconds(10))
                let (statuses, limiter) = try await underLoad(redis, prefix: prefix) { load, _ in
                    try await cluster.cli(target, ["CLUSTER", "SETSLOT", "\(slot)", "IMPORTING", sourceID])
                    try await cluster.cli(source, ["CLUSTER", "SETSLOT", "\(slot)", "MIGRATING", targetID])
                    await load.waitForProgress(50)
                    while true {
                        let keys = try await cluster.cli(source, ["CLUSTER", "GETKEYSINSLOT", "\(slot)", "100"])
                            .split(separator: "\n").map(String.init)
                        guard !keys.isEmpty else { break }
                        try await cluster.cli(source, ["MIGRATE", "127.0.0.1", "\(target)", "", "0", "5000", "KEYS"] + keys)
                    }
                    // Its key now lives on the target while the slot is still the source's: every check is an ASK.
                    await load.waitForProgress(50)
                    for node in [target, source] + primaries.filter({ $0 != source && $0 != target }) {
                        try await cluster.cli(node, ["CLUSTER", "SETSLOT", "\(slot)", "NODE", targetID])
                    }
                }
                #expect(statuses.allSatisfy { $0 == 200 }, "statuses other than 200: \(statuses.filter { $0 != 200 })")
                #expect(limiter.all.allSatisfy { $0.succeeded }, "every check was decided by Redis")
                #expect(try await cluster.primaryPort(ofSlot: slot, askingPort: source) == target)
                let counted = try await cluster.cli(target, ["HGET", key, "3600s:sum"])
                #expect(Int(counted.trimmingCharacters(in: .whitespacesAndNewlines)) == statuses.count,
                        "the key on the target counted every request")
            }
        }
    }

    /// The primary of the limiter's slot is killed under load; its replica takes over. No request gets a 5xx (the
    /// local fallback decides meanwhile), Redis decides again within seconds, and the invalidation subscriber,
    /// connected to that very primary, moves to another node and receives what is published next.
    @Test func limitsResumeAfterAPrimaryIsKilledAndItsReplicaPromoted() async throws {
        try await withCluster { cluster in
            let prefix = "fx:test:\(UUID().uuidString):"
            let slot = try await cluster.slot(ofKey: limiterKey(prefix: prefix))
            let victim = try await cluster.primaryPort(ofSlot: slot, askingPort: cluster.ports[0])
            // The victim first: the subscriber connects to the first seed.
            let url = cluster.url(seeds: [victim] + cluster.ports.filter { $0 != victim })
            let channel = "fxrates:test:cluster:\(UUID().uuidString)"

            try await withRunning(client(url)) { redis in
                try await redis.waitUntilConnected(timeout: .seconds(10))
                let subscriber = RedisSubscriber(configuration: redis.configuration, channels: [channel],
                                                 clusterNodes: { redis.clusterNodes }, logger: Self.logger)
                try await withRunning(subscriber) { subscriber in
                    try await Self.nextSubscription(of: subscriber)
                    let killedAt = Mutex<ContinuousClock.Instant?>(nil)
                    let (statuses, limiter) = try await underLoad(redis, prefix: prefix) { _, limiter in
                        let now = ContinuousClock.now
                        killedAt.withLock { $0 = now }
                        cluster.kill(port: victim)
                        try await Self.waitForSuccess(of: limiter, startedAfter: now, within: .seconds(30))
                    }
                    let killed = try #require(killedAt.withLock { $0 })
                    let resumed = try #require(limiter.all.first { $0.succeeded && $0.start > killed })
                    let seconds = Double((resumed.end - killed) / .milliseconds(1)) / 1000
                    print("Redis Cluster failover: shared limits resumed \(seconds) s after the primary was killed")
                    #expect(resumed.end - killed < .seconds(20))
                    #expect(statuses.allSatisfy { $0 == 200 }, "statuses other than 200: \(statuses.filter { $0 != 200 })")
                    #expect(limiter.all.last?.succeeded == true)
                    // The subscriber lost its node with it: it subscribes on another, where a publish reaches it.
                    try await Self.nextSubscription(of: subscriber)
                    try await redis.publish("after-failover", to: channel)
                    try await Self.nextMessage(of: subscriber, on: channel)
                }
            }
        }
    }

    /// Five replicas start cold on a cluster: the snapshot and its fill lock (one script touches both) share a
    /// slot, so PostgreSQL is read once, as on one Redis.
    @Test(.enabled(if: TestDatabase.isConfigured))
    func theRateSnapshotIsSharedThroughTheCluster() async throws {
        try await withCluster { cluster in
            try await withRunning(client(cluster.url)) { redis in
                try await redis.waitUntilConnected(timeout: .seconds(10))
                try await RateCacheTests().coldStart(redis: redis)
            }
        }
    }

    /// Runs `body` while an app whose generous limits are shared through `redis` under `prefix` serves
    /// `ClusterLoad` (which has had 50 answers when `body` starts); returns, once the load has stopped, every
    /// status it got and the limiter's record.
    private func underLoad(
        _ redis: RedisClient, prefix: String, _ body: @Sendable (ClusterLoad, ObservedLimiter) async throws -> Void
    ) async throws -> (statuses: [Int], limiter: ObservedLimiter) {
        let limiter = ObservedLimiter(RedisRateLimiter(client: redis, keyPrefix: prefix))
        let load = ClusterLoad()
        try await withKeyedApp(apiKeys: EmptyAPIKeyStore(), rateLimiting: limits("1000000/hour", shared: limiter)) { app in
            let port = try #require(app.port)
            async let running: Void = load.run(port: port)
            await load.waitForProgress(50)
            do {
                try await body(load, limiter)
                await load.waitForProgress(50)
            } catch {
                load.stop()
                await running
                throw error
            }
            load.stop()
            await running
        }
        return (load.all, limiter)
    }

    /// An awaited event did not come in time (the deadline ended the wait) or its stream ended.
    private enum WaitError: Error {
        case notSeen(String)
    }

    private static func nextSubscription(of subscriber: RedisSubscriber) async throws {
        try await withDeadline(.now + .seconds(30), timeoutError: CancellationError()) {
            for await event in subscriber.events {
                if case .subscribed = event { return }
            }
            throw WaitError.notSeen("a subscription")
        }
    }

    private static func nextMessage(of subscriber: RedisSubscriber, on channel: String) async throws {
        try await withDeadline(.now + .seconds(10), timeoutError: CancellationError()) {
            for await event in subscriber.events {
                if case .message(let message) = event, message.channel == channel { return }
            }
            throw WaitError.notSeen("a message on \(channel)")
        }
    }

    private static func waitForSuccess(
        of limiter: ObservedLimiter, startedAfter instant: ContinuousClock.Instant, within bound: Duration
    ) async throws {
        try await withDeadline(.now + bound, timeoutError: CancellationError()) {
            for await outcome in limiter.stream where outcome.succeeded && outcome.start > instant { return }
            throw WaitError.notSeen("a check decided by Redis")
        }
    }
}
