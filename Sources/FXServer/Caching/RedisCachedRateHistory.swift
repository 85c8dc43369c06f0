import FXCore
import FXRedis
import FXStorage
import Foundation
import Logging
import NIOCore

/// The shared second level of the rate cache: the whole snapshot in Redis, keyed by the database's
/// fingerprint, in front of PostgreSQL.
///
/// A replica that misses takes a short lock and fills Redis once, so a cold start of many replicas
/// reads PostgreSQL once instead of once per replica; the others wait for the snapshot while the lock
/// is held. When Redis fails, loads go straight to PostgreSQL.
///
/// The lock holds a random token and is released by compare-and-delete (`SnapshotFillLock`), so a replica
/// whose lock expired during a slow load never deletes another's. A failed load releases it at once, and
/// a failed write of the snapshot keeps the history already loaded: PostgreSQL is read once either way.
public struct RedisCachedRateHistory: RateHistorySource {
    private let database: any RateHistorySource
    private let redis: RedisClient
    private let keyPrefix: String
    private let logger: Logger
    /// How long the fill lock lasts if its holder never releases it (it crashed).
    private let lockTime: Duration
    /// A snapshot is a few megabytes: its commands get longer than the hot path's timeout.
    private let timeout: Duration = .seconds(2)

    public init(database: any RateHistorySource, redis: RedisClient, keyPrefix: String = "fxrates:rates:",
                lockTime: Duration = .seconds(10), logger: Logger) {
        self.database = database
        self.redis = redis
        self.keyPrefix = keyPrefix
        self.lockTime = lockTime
        self.logger = logger
    }

    public func fingerprint() async throws -> String {
        try await database.fingerprint()
    }

    public func load(day: Day?) async throws -> RateHistory {
        guard day == nil else { return try await database.load(day: day) }
        let fingerprint = try await database.fingerprint()
        do {
            return try await shared(fingerprint: fingerprint)
        } catch let error as RedisError {
            logger.warning("rate cache in Redis unavailable; loading from PostgreSQL", metadata: ["error": "\(error)"])
            return try await database.load(day: nil)
        }
    }

    private func shared(fingerprint: String) async throws -> RateHistory {
        let key = RedisArgument(keyPrefix + "snapshot:" + fingerprint)
        if let cached = try await cachedSnapshot(key) { return cached }
        let lock = RedisArgument(keyPrefix + "lock:" + fingerprint)
        let token = RedisArgument(Self.randomToken())
        let milliseconds = RedisArgument(Int(lockTime / .milliseconds(1)))
        let locked = try await redis.send("SET", [lock, token, "NX", "PX", milliseconds], timeout: timeout)
        guard locked == .simpleString("OK") else { return try await waitForFill(key: key, lock: lock) }

        // Another replica may have filled the snapshot and released its lock between our miss and our lock.
        if let cached = try await cachedSnapshot(key) {
            await release(lock, token)
            return cached
        }
        let history: RateHistory
        do {
            history = try await database.load(day: nil)
        } catch {
            await release(lock, token)
            throw error
        }
        do {
            _ = try await redis.send("SET", [key, RedisArgument(bytes: RateHistoryBinary.encode(history)), "EX", "3600"],
                                     timeout: timeout)
        } catch {
            // The history is loaded: serve it. Other replicas read PostgreSQL themselves once the lock is gone.
            logger.warning("could not store the rate snapshot in Redis", metadata: ["error": "\(error)"])
        }
        await release(lock, token)
        return history
    }

    /// Another replica is filling the snapshot: check with growing pauses (jittered, never past the lock's
    /// remaining time) until the snapshot is there, and read PostgreSQL only if the lock goes away without
    /// one (that replica failed). A wait through a whole 10 s lock costs some twenty calls.
    private func waitForFill(key: RedisArgument, lock: RedisArgument) async throws -> RateHistory {
        var pause = Duration.milliseconds(25)
        var remaining = lockTime
        let deadline = ContinuousClock.now + lockTime + .seconds(1)
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: min(pause, remaining) * Double.random(in: 0.8...1.0))
            switch try await redis.evalSHA(SnapshotFillLock.copyOrLockTime, keys: [key, lock], timeout: timeout) {
            case .bulkString(let buffer):
                if let history = Self.decode(buffer) { return history }
                return try await database.load(day: nil)
            case .integer(let milliseconds) where milliseconds > 0:
                remaining = .milliseconds(milliseconds)
                pause = min(pause * 2, .milliseconds(800))
            default:
                return try await database.load(day: nil)
            }
        }
        return try await database.load(day: nil)
    }

    /// Releases the lock if it is still ours. A failure only leaves it to expire: nothing to undo.
    private func release(_ lock: RedisArgument, _ token: RedisArgument) async {
        do {
            _ = try await redis.evalSHA(SnapshotFillLock.release, keys: [lock], args: [token], timeout: timeout)
        } catch {
            logger.warning("could not release the rate snapshot's fill lock; it expires by itself",
                           metadata: ["error": "\(error)"])
        }
    }

    private static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
    }

    /// The snapshot travels in slices, so that the limiter checks of every replica, on the same Redis, never
    /// queue behind megabytes of it. Its key names its content (the fingerprint), so the slices of two
    /// writes of it fit together; one that vanished midway reads as missing.
    private func cachedSnapshot(_ key: RedisArgument) async throws -> RateHistory? {
        let buffer = try await redis.get(key, inSlicesOf: Self.sliceBytes, maximumBytes: Self.maximumSnapshotBytes,
                                         timeout: timeout)
        return buffer.flatMap(Self.decode)
    }

    /// 256 KiB: Redis copies one out in tens of microseconds, and a whole history takes a dozen.
    private static let sliceBytes = 256 * 1024
    /// Far above any history (the whole ECB one is about 3 MB): a key that large is not a snapshot.
    private static let maximumSnapshotBytes = 256 * 1024 * 1024

    /// A snapshot that does not decode counts as missing: the database has the truth.
    private static func decode(_ buffer: ByteBuffer) -> RateHistory? {
        buffer.withUnsafeReadableBytes(RateHistoryBinary.decode)
    }
}
