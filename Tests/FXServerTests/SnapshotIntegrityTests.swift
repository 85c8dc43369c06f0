import FXCore
import FXRedis
import FXServer
import FXStorage
import FXTestSupport
import Foundation
import Logging
import Testing

/// Redis is not trusted with the rates: a snapshot edited there must never be served.
@Suite("The rate snapshot in Redis is checked against PostgreSQL", .enabled(if: canRunPrivateRedisWithPostgres))
struct SnapshotIntegrityTests {
    @Test func aRateForgedInTheRedisSnapshotIsNeverServed() async throws {
        let logs = CapturedLogs()
        try await withSampleRatesAndPrivateRedis(clients: 2) { client, configuration, clients in
            let database = RateHistoryLoader(client: client)
            let loader = RedisCachedRateHistory(database: database, digests: database, redis: clients[0],
                                                logger: logs.logger())
            // The first reload fills the snapshot (and records its digest in PostgreSQL).
            try await withListeningReplica(loader: loader, redis: configuration, logger: logs.logger()) { store in
                try await forgeUSD(in: clients[1], fingerprint: try await database.fingerprint(), to: "9.9999")

                _ = try await clients[1].publish(RedisArgument(Invalidation.allRates.message), to: Invalidation.channel)
                #expect(try await eventually { !warnings(in: logs).isEmpty }, "the forged snapshot is noticed")
                let served = try store.observation(onOrBefore: nil, notBefore: nil, quoting: ["USD"])?.perEuro("USD")
                #expect(served?.decimal == Decimal(string: "1.1172"))

                // Another invalidation meets the snapshot the replica wrote back, and warns no more.
                _ = try await clients[1].publish(RedisArgument(Invalidation.allRates.message), to: Invalidation.channel)
                #expect(try await eventually {
                    try await snapshotUSD(in: clients[1], fingerprint: database.fingerprint()) == "1.1172"
                })
                #expect(warnings(in: logs).count == 1)
            }
        }
    }

    private func warnings(in logs: CapturedLogs) -> [CapturedLogs.Entry] {
        logs.all.filter { $0.level == .warning && $0.message.contains("rate snapshot in Redis fails its check") }
    }

    private func snapshotKey(_ fingerprint: String) -> RedisArgument {
        RedisArgument("fxrates:rates:snapshot:{" + fingerprint + "}")
    }

    /// The snapshot rewritten as an attacker with write access to Redis would: a valid encoding of a history
    /// whose latest USD rate is `forged`.
    private func forgeUSD(in redis: RedisClient, fingerprint: String, to forged: String) async throws {
        let history = try #require(try await snapshotHistory(in: redis, fingerprint: fingerprint))
        let latest = try #require(history.latest(onOrBefore: nil, notBefore: nil, quoting: ["USD"]))
        var perEuro: [CurrencyCode: ScaledDecimal] = [:]
        for currency in latest.currencies { perEuro[currency] = latest.perEuro(currency) }
        perEuro["USD"] = ScaledDecimal(try StrictDecimal(parsing: forged))
        let bytes = RateHistoryBinary.encode(history.replacing(day: latest.date, with: RateTable(date: latest.date, perEuro: perEuro)))
        _ = try await redis.send("SET", [snapshotKey(fingerprint), RedisArgument(bytes: bytes), "KEEPTTL"])
    }

    private func snapshotHistory(in redis: RedisClient, fingerprint: String) async throws -> RateHistory? {
        guard let buffer = try await redis.get(snapshotKey(fingerprint)) else { return nil }
        return buffer.withUnsafeReadableBytes(RateHistoryBinary.decode)
    }

    private func snapshotUSD(in redis: RedisClient, fingerprint: String) async throws -> String? {
        let history = try await snapshotHistory(in: redis, fingerprint: fingerprint)
        return history?.latest(onOrBefore: nil, notBefore: nil, quoting: ["USD"])?.perEuro("USD")
            .map { "\($0.decimal)" }
    }
}
