import FXCore
import FXLifecycle
import FXRedis
import FXServer
import FXStorage
import FXTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// A database that the test drives: it counts whole loads, and each load waits for the test's go-ahead
/// (when `gated`) and then fails or answers.
private final class ScriptedSource: RateHistorySource {
    let wholeLoads = Atomic(0)
    let digests = Mutex<[String: [UInt8]]>([:])
    private let fails: Bool
    private let started: AsyncStream<Void>.Continuation?
    private let proceed: AsyncStream<Void>?

    init(fails: Bool = false, started: AsyncStream<Void>.Continuation? = nil, proceed: AsyncStream<Void>? = nil) {
        self.fails = fails
        self.started = started
        self.proceed = proceed
    }

    func load(day: Day?) async throws -> RateHistory {
        wholeLoads.add(1, ordering: .relaxed)
        started?.yield()
        if let proceed { for await _ in proceed { break } }
        if fails { throw CancellationError() }
        return try ECBHistoryParser.parse(sampleECB)
    }

    func fingerprint() async throws -> String { "fingerprint" }
}

/// The digests a filling replica records, kept in memory as PostgreSQL would keep them.
extension ScriptedSource: SnapshotDigestLedger {
    func snapshotDigest(fingerprint: String) async throws -> [UInt8]? {
        digests.withLock { $0[fingerprint] }
    }

    func recordSnapshotDigest(_ digest: [UInt8], fingerprint: String) async throws -> Bool {
        digests.withLock { $0[fingerprint] = digest }
        return true
    }
}

@Suite("The fill lock of the rate snapshot in Redis",
       .enabled(if: FileManager.default.fileExists(atPath: "/usr/bin/redis-server")))
struct SnapshotFillLockTests {
    private let prefix = "fxrates:test:\(UUID().uuidString):"
    private var lock: RedisArgument { RedisArgument(prefix + "lock:fingerprint") }

    private func withClients(
        _ server: RedisServerProcess, url: String? = nil,
        _ body: (_ redis: RedisClient, _ admin: RedisClient) async throws -> Void
    ) async throws {
        var configuration = try RedisConfiguration(url: url ?? server.url)
        configuration.commandTimeout = .seconds(10)
        try await withRunning(RedisClient(configuration: configuration, logger: TestDatabase.logger)) { redis in
            var adminConfiguration = try RedisConfiguration(url: server.url)
            adminConfiguration.commandTimeout = .seconds(10)
            try await withRunning(RedisClient(configuration: adminConfiguration, logger: TestDatabase.logger)) { admin in
                try await redis.waitUntilConnected(timeout: .seconds(30))
                try await admin.waitUntilConnected(timeout: .seconds(30))
                try await body(redis, admin)
            }
        }
    }

    @Test func aReplicaWhoseLockExpiredDoesNotDeleteTheLockAnotherNowHolds() async throws {
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        let (started, loadStarted) = AsyncStream.makeStream(of: Void.self)
        let (proceed, letLoadFinish) = AsyncStream.makeStream(of: Void.self)
        let source = ScriptedSource(started: loadStarted, proceed: proceed)
        try await withClients(server) { redis, admin in
            let cache = RedisCachedRateHistory(database: source, digests: source, redis: redis, keyPrefix: prefix,
                                               lockTime: .milliseconds(200), logger: TestDatabase.logger)
            async let loaded = cache.load(day: nil)
            for await _ in started { break }
            // The load outlives the lock; another replica takes it.
            let expired = try await eventually { try await admin.send("PTTL", [lock]).int == -2 }
            #expect(expired)
            _ = try await admin.send("SET", [lock, "another-replica"])
            letLoadFinish.yield()
            #expect(try await loaded.tables.count == 3)
            #expect(try await admin.get(lock).map { String(buffer: $0) } == "another-replica")
        }
    }

    @Test func aFailedDatabaseLoadReleasesTheLockAtOnce() async throws {
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        try await withClients(server) { redis, admin in
            let source = ScriptedSource(fails: true)
            let cache = RedisCachedRateHistory(database: source, digests: source, redis: redis, keyPrefix: prefix,
                                               logger: TestDatabase.logger)
            await #expect(throws: CancellationError.self) { try await cache.load(day: nil) }
            let locks = try await admin.send("EXISTS", [lock]).int
            #expect(locks == 0, "the next replica need not wait 10 s")
        }
    }

    @Test func aSnapshotRedisRefusesToStoreDoesNotLoadPostgreSQLTwice() async throws {
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        // A user that may take the lock but only read the snapshot: its SET of the snapshot fails.
        try await withClients(server) { _, admin in
            _ = try await admin.send("ACL", ["SETUSER", "filler", "on", ">secret", "~\(prefix)lock:*",
                                             "%R~\(prefix)snapshot:*", "+@all"].map { RedisArgument($0) })
        }
        let source = ScriptedSource()
        let filler = "redis://filler:secret@127.0.0.1:\(server.port)"
        try await withClients(server, url: filler) { redis, admin in
            let cache = RedisCachedRateHistory(database: source, digests: source, redis: redis, keyPrefix: prefix,
                                               logger: TestDatabase.logger)
            let dates = try await cache.load(day: nil).tables.count
            #expect(dates == 3)
            #expect(source.wholeLoads.load(ordering: .relaxed) == 1)
            let locks = try await admin.send("EXISTS", [lock]).int
            #expect(locks == 0)
        }
    }

    @Test func aWaitingReplicaChecksAHandfulOfTimesNotEvery50Milliseconds() async throws {
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        let source = ScriptedSource()
        try await withClients(server) { redis, admin in
            // Another replica holds the lock for 1.5 s and dies without filling the snapshot.
            _ = try await admin.send("SET", [lock, "another-replica", "PX", "1500"])
            _ = try await admin.send("CONFIG", ["RESETSTAT"])
            let cache = RedisCachedRateHistory(database: source, digests: source, redis: redis, keyPrefix: prefix,
                                               logger: TestDatabase.logger)
            let dates = try await cache.load(day: nil).tables.count
            #expect(dates == 3)
            #expect(source.wholeLoads.load(ordering: .relaxed) == 1, "read PostgreSQL once the lock went away")
            let stats = try await admin.send("INFO", ["commandstats"]).string ?? ""
            // One check is one EVALSHA now (the script reads the snapshot and the lock's time inside Redis);
            // the old polling sent a GET and an EXISTS every 50 ms, some 30 of each in this wait.
            let checks = stats.split(whereSeparator: \.isNewline)
                .filter { $0.hasPrefix("cmdstat_evalsha:") || $0.hasPrefix("cmdstat_eval:") || $0.hasPrefix("cmdstat_exists:") }
                .compactMap { line in line.split(separator: "=").dropFirst().first?.split(separator: ",").first.flatMap { Int($0) } }
                .reduce(0, +)
            #expect(checks <= 12, "\(checks) checks for one wait")
        }
    }
}
