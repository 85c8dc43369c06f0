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
///
/// Redis is not trusted with the rates: the replica that fills the snapshot records its SHA-256 in PostgreSQL
/// (`SnapshotDigestLedger`) before it writes the snapshot, and a snapshot read back counts only when its bytes
/// have that digest. One that does not (edited in Redis), or does not decode, is ignored and replaced from
/// PostgreSQL, with one warning per fingerprint.
public struct RedisCachedRateHistory: RateHistorySource {
    private let database: any RateHistorySource
    private let digests: any SnapshotDigestLedger
    private let rejections = SnapshotRejections()
    private let redis: RedisClient
    private let keyPrefix: String
    private let logger: Logger
    /// How long the fill lock lasts if its holder never releases it (it crashed).
    private let lockTime: Duration
    /// A snapshot is a few megabytes: its commands get longer than the hot path's timeout.
    private let timeout: Duration = .seconds(2)

    public init(database: any RateHistorySource, digests: any SnapshotDigestLedger, redis: RedisClient,
                keyPrefix: String = "fxrates:rates:", lockTime: Duration = .seconds(10), logger: Logger) {
        self.database = database
        self.digests = digests
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
        let key = RedisArgument(keyPrefix + "snapshot:{" + fingerprint + "}")
        if let cached = try await cachedSnapshot(key, fingerprint: fingerprint) { return cached }
        let lock = RedisArgument(keyPrefix + "lock:{" + fingerprint + "}")
        let token = RedisArgument(Self.randomToken())
        let milliseconds = RedisArgument(Int(lockTime / .milliseconds(1)))
        let locked = try await redis.send("SET", [lock, token, "NX", "PX", milliseconds], timeout: timeout)
        guard locked == .simpleString("OK") else {
            return try await waitForFill(key: key, lock: lock, fingerprint: fingerprint)
        }

        // Another replica may have filled the snapshot and released its lock between our miss and our lock.
        if let cached = try await cachedSnapshot(key, fingerprint: fingerprint) {
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
        await store(history, key: key, fingerprint: fingerprint)
        await release(lock, token)
        return history
    }

    /// Records the snapshot's digest in PostgreSQL, then writes the snapshot: a replica that sees the snapshot
    /// finds its digest. Without a recorded digest (the rates moved on meanwhile, or PostgreSQL failed) the
    /// snapshot is not written, since no replica would accept it. Failures are logged: the history is loaded
    /// either way, and other replicas read PostgreSQL themselves once the lock is gone.
    private func store(_ history: RateHistory, key: RedisArgument, fingerprint: String) async {
        let bytes = RateHistoryBinary.encode(history)
        do {
            guard let digest = bytes.withUnsafeBytes(SnapshotDigest.sha256),
                  try await digests.recordSnapshotDigest(digest, fingerprint: fingerprint)
            else { return }
            _ = try await redis.send("SET", [key, RedisArgument(bytes: bytes), "EX", "3600"], timeout: timeout)
        } catch {
            logger.warning("could not store the rate snapshot in Redis", metadata: ["error": "\(error)"])
        }
    }

    /// Another replica is filling the snapshot: check with growing pauses (jittered, never past the lock's
    /// remaining time) until the snapshot is there, and read PostgreSQL only if the lock goes away without
    /// one (that replica failed). A wait through a whole 10 s lock costs some twenty calls.
    private func waitForFill(key: RedisArgument, lock: RedisArgument, fingerprint: String) async throws -> RateHistory {
        var pause = Duration.milliseconds(25)
        var remaining = lockTime
        let deadline = ContinuousClock.now + lockTime + .seconds(1)
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: min(pause, remaining) * Double.random(in: 0.8...1.0))
            switch try await redis.evalSHA(SnapshotFillLock.copyOrLockTime, keys: [key, lock], timeout: timeout) {
            case .bulkString(let buffer):
                if let history = try await verified(buffer, fingerprint: fingerprint) { return history }
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
    private func cachedSnapshot(_ key: RedisArgument, fingerprint: String) async throws -> RateHistory? {
        let buffer = try await redis.get(key, inSlicesOf: Self.sliceBytes, maximumBytes: Self.maximumSnapshotBytes,
                                         timeout: timeout)
        guard let buffer else { return nil }
        return try await verified(buffer, fingerprint: fingerprint)
    }

    /// The history in `buffer` if its bytes have the digest PostgreSQL recorded for `fingerprint` and decode;
    /// nil otherwise, so the caller reads PostgreSQL. A snapshot without a recorded digest was not written by a
    /// replica (those record first) or belongs to rates since replaced: either way, not the truth.
    private func verified(_ buffer: ByteBuffer, fingerprint: String) async throws -> RateHistory? {
        let expected = try await digests.snapshotDigest(fingerprint: fingerprint)
        let history: RateHistory? = buffer.withUnsafeReadableBytes { bytes in
            guard let expected, SnapshotDigest.sha256(bytes) == expected else { return nil }
            return RateHistoryBinary.decode(bytes)
        }
        if history == nil, rejections.isFirst(fingerprint: fingerprint) {
            logger.warning("""
                the rate snapshot in Redis fails its check against the digest recorded in PostgreSQL (edited, \
                damaged, or left by an older release); ignoring it and loading from PostgreSQL
                """, metadata: ["rates.fingerprint": "\(fingerprint)"])
        }
        return history
    }

    /// 256 KiB: Redis copies one out in tens of microseconds, and a whole history takes a dozen.
    private static let sliceBytes = 256 * 1024
    /// Far above any history (the whole ECB one is about 3 MB): a key that large is not a snapshot.
    private static let maximumSnapshotBytes = 256 * 1024 * 1024
}
