import FXCore
import FXLifecycle
import FXPostgres
import FXRedis
import FXServer
import FXStorage
import Foundation
import Synchronization
import FXSupport
import Testing
import FXTestSupport

/// The database source, counting whole loads: how the test sees whether PostgreSQL was read.
private final class CountingSource: RateHistorySource {
    let database: RateHistoryLoader
    let wholeLoads = Atomic(0)

    init(_ database: RateHistoryLoader) {
        self.database = database
    }

    func load(day: Day?) async throws -> RateHistory {
        if day == nil { wholeLoads.add(1, ordering: .relaxed) }
        return try await database.load(day: day)
    }

    func fingerprint() async throws -> String {
        try await database.fingerprint()
    }
}

@Suite("The rate snapshot shared through Redis",
       .enabled(if: TestDatabase.isConfigured && ProcessInfo.processInfo.environment["FX_TEST_REDIS_URL"] != nil))
struct RateCacheTests {
    @Test func aColdStartOfManyReplicasReadsPostgreSQLOnce() async throws {
        var configuration = try RedisConfiguration(url: ProcessInfo.processInfo.environment["FX_TEST_REDIS_URL"]!)
        configuration.commandTimeout = .seconds(30)
        let redis = RedisClient(configuration: configuration, logger: TestDatabase.logger)
        try await withRunning(redis) { redis in
            try await redis.waitUntilConnected(timeout: .seconds(30))
            try await coldStart(redis: redis)
        }
    }

    func coldStart(redis: RedisClient) async throws {
        let prefix = "fxrates:test:\(UUID().uuidString):"
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let source = CountingSource(RateHistoryLoader(client: client))
            let replicas = (0..<5).map { _ in
                RedisCachedRateHistory(database: source, digests: source.database, redis: redis, keyPrefix: prefix, logger: TestDatabase.logger)
            }
            let dates = try await withThrowingTaskGroup(of: Int.self) { group in
                for replica in replicas { group.addTask { try await replica.load(day: nil).tables.count } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(dates == [3, 3, 3, 3, 3])
            #expect(source.wholeLoads.load(ordering: .relaxed) == 1)

            // A write changes the fingerprint: the next load misses and reads PostgreSQL once more.
            _ = try await RatesWriter(client: client).write(
                RatesUpdate(date: Day(parsing: "2026-11-28")!, base: .eur, source: "ECB",
                            rates: ["USD": try StrictDecimal(parsing: "1.2")]), actor: "test")
            let after = try await replicas[0].load(day: nil)
            #expect(after.tables.count == 4)
            #expect(source.wholeLoads.load(ordering: .relaxed) == 2)
        }
    }

    /// A replica misses the snapshot, and before it takes the fill lock another replica has filled the snapshot
    /// and released the lock: a delay that a loaded cooperative pool produces. The replica must serve the
    /// snapshot, not read PostgreSQL again. `CLIENT PAUSE WRITE` makes the interleaving exact: reads go on,
    /// every write waits, and both the other replica's fill and this one's lock run when the pause ends.
    @Test func aReplicaThatTakesTheLockAfterAnotherFilledDoesNotReadPostgreSQL() async throws {
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        var configuration = try RedisConfiguration(url: server.url)
        configuration.commandTimeout = .seconds(30)
        try await withRedisClients(3, configuration) { clients in
            try await fillRace(admin: clients[0], other: clients[1], replica: clients[2])
        }
    }

    private func fillRace(admin: RedisClient, other: RedisClient, replica: RedisClient) async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let database = RateHistoryLoader(client: client)
            let snapshot = RateHistoryBinary.encode(try await database.load(day: nil))
            let fingerprint = try await database.fingerprint()
            let key = RedisArgument("fxrates:rates:snapshot:{" + fingerprint + "}")
            let source = CountingSource(database)
            // As the other replica's fill does: the digest goes to PostgreSQL before the snapshot goes to Redis.
            #expect(try await database.recordSnapshotDigest(MessageDigest.sha256(snapshot), fingerprint: fingerprint))

            // Longer than the miss takes, and shorter than the cache's 2 s command timeout, which the waiting
            // lock command must not reach. Were the machine too slow for the miss to fall inside the pause, the
            // replica would find the snapshot on its first read: the test would prove nothing, not fail wrongly.
            _ = try await admin.send("CLIENT", ["PAUSE", "1000", "WRITE"])
            async let filled = other.send("SET", [key, RedisArgument(bytes: snapshot), "EX", "3600"])
            let history = try await RedisCachedRateHistory(database: source, digests: database, redis: replica,
                                                             logger: TestDatabase.logger)
                .load(day: nil)
            #expect(try await filled == .simpleString("OK"))
            #expect(history.tables.count == 3)
            #expect(source.wholeLoads.load(ordering: .relaxed) == 0)
        }
    }

    @Test func withRedisDownLoadsComeFromPostgreSQL() async throws {
        var configuration = RedisConfiguration(host: "127.0.0.1", port: 1)
        configuration.connectTimeout = .milliseconds(100)
        try await withRunning(RedisClient(configuration: configuration, logger: TestDatabase.logger)) { redis in
            try await TestPostgres.withDatabase { client, _ in
                _ = try await ECBImporter(client: client).importHistory(sampleECB)
                let database = RateHistoryLoader(client: client)
                let cached = RedisCachedRateHistory(database: database, digests: database, redis: redis,
                                                    logger: TestDatabase.logger)
                #expect(try await cached.load(day: nil).tables.count == 3)
            }
        }
    }
}

/// `count` running, connected clients of one server for the duration of `body`.
func withRedisClients<T>(
    _ count: Int, _ configuration: RedisConfiguration, _ body: ([RedisClient]) async throws -> T
) async throws -> T {
    guard count > 0 else { return try await body([]) }
    return try await withRunning(RedisClient(configuration: configuration, logger: TestDatabase.logger)) { first in
        try await first.waitUntilConnected(timeout: .seconds(30))
        return try await withRedisClients(count - 1, configuration) { try await body([first] + $0) }
    }
}
