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
public struct RedisCachedRateHistory: RateHistorySource {
    private let database: any RateHistorySource
    private let redis: RedisClient
    private let keyPrefix: String
    private let logger: Logger
    /// A snapshot is a few megabytes: its commands get longer than the hot path's timeout.
    private let timeout: Duration = .seconds(2)

    public init(database: any RateHistorySource, redis: RedisClient, keyPrefix: String = "fxrates:rates:",
                logger: Logger) {
        self.database = database
        self.redis = redis
        self.keyPrefix = keyPrefix
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
        let locked = try await redis.send("SET", [lock, "1", "NX", "PX", "10000"], timeout: timeout)
        if locked == .simpleString("OK") {
            // Another replica may have filled the snapshot and released its lock between our miss and our lock.
            if let cached = try await cachedSnapshot(key) {
                _ = try await redis.delete([lock], timeout: timeout)
                return cached
            }
            let history = try await database.load(day: nil)
            _ = try await redis.send("SET", [key, RedisArgument(bytes: Array(ECBHistoryWriter.csv(history))), "EX", "3600"],
                                     timeout: timeout)
            _ = try await redis.delete([lock], timeout: timeout)
            return history
        }
        // Another replica is filling the cache: wait while it holds the lock (at most the lock's 10 s), and
        // read PostgreSQL only if the lock went away without a snapshot (that replica failed).
        for _ in 0..<200 {
            try await Task.sleep(for: .milliseconds(50))
            if let cached = try await cachedSnapshot(key) { return cached }
            if try await redis.send("EXISTS", [lock], timeout: timeout).int == 0 { break }
        }
        if let cached = try await cachedSnapshot(key) { return cached }
        return try await database.load(day: nil)
    }

    private func cachedSnapshot(_ key: RedisArgument) async throws -> RateHistory? {
        guard let buffer = try await redis.get(key, timeout: timeout) else { return nil }
        return try? ECBHistoryParser.parse(Data(buffer: buffer))
    }
}
