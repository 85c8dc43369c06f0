import FXCore
import FXRedis
import FXServer
import FXStorage
import FXTestSupport
import Foundation
import Synchronization
import Testing

/// The database source, counting whole and dated loads: how many reloads a flood of invalidations cost. Once
/// `holding` is set, every load waits for `gate`: the reload a flood starts is still running while the rest
/// of the flood arrives, however fast the machine.
private final class ReloadCountingSource: RateHistorySource {
    let database: RateHistoryLoader
    let wholeLoads = Atomic(0)
    let datedLoads = Atomic(0)
    let holding = Atomic(false)
    let gate = Gate()

    init(_ database: RateHistoryLoader) {
        self.database = database
    }

    func load(day: Day?) async throws -> RateHistory {
        if day == nil { wholeLoads.add(1, ordering: .relaxed) } else { datedLoads.add(1, ordering: .relaxed) }
        if holding.load(ordering: .relaxed) { await gate.wait() }
        return try await database.load(day: day)
    }

    func fingerprint() async throws -> String {
        try await database.fingerprint()
    }
}

@Suite("A flood of invalidations", .enabled(if: canRunPrivateRedisWithPostgres))
struct InvalidationFloodTests {
    @Test func costsTheReloadUnderWayAndOneMoreNotOnePerMessage() async throws {
        let logs = CapturedLogs()
        try await withSampleRatesAndPrivateRedis(clients: 1) { client, configuration, clients in
            let source = ReloadCountingSource(RateHistoryLoader(client: client))
            try await withListeningReplica(loader: source, redis: configuration, logger: logs.logger()) { store in
                let wholeBefore = source.wholeLoads.load(ordering: .relaxed)
                // Written behind the replica's back: the flood's last whole reload must show it.
                _ = try await RatesWriter(client: client).write(
                    RatesUpdate(date: Day(parsing: "2026-11-27")!, base: .eur, source: "ECB",
                                rates: ["USD": try StrictDecimal(parsing: "1.5555")]), actor: "test")
                let flood = 500
                source.holding.store(true, ordering: .relaxed)
                try await publish(Invalidation.rates(on: Day(parsing: "2026-11-26")!).message, times: flood, on: clients[0])
                try await publish(Invalidation.allRates.message, times: flood, on: clients[0])
                // Messages are read in order: once the listener has logged this unknown one, it has read the whole
                // flood, while the first reload the flood started is still held.
                try await publish("the-flood-is-over", times: 1, on: clients[0])
                let readWhileHeld = try await eventually {
                    logs.all.contains { $0.message.hasPrefix("ignoring unknown invalidation messages") }
                }
                source.gate.open()
                #expect(readWhileHeld, "the listener reads messages while a reload runs")
                #expect(try await eventually {
                    let table = try? store.observation(onOrBefore: nil, notBefore: nil, quoting: ["USD"])
                    return table?.perEuro("USD")?.decimal == Decimal(string: "1.5555")
                })
                let whole = source.wholeLoads.load(ordering: .relaxed) - wholeBefore
                let dated = source.datedLoads.load(ordering: .relaxed)
                print("a flood of \(flood) dated and \(flood) whole invalidations: \(dated) dated and \(whole) whole reloads")
                // The dated reload the flood started first, then one whole reload for everything that arrived while
                // it ran (the whole reload covers the date too).
                #expect(dated == 1)
                #expect(whole == 1)
            }
        }
    }

    /// `times` publishes of `message`, one after another so that they arrive in this order.
    private func publish(_ message: String, times: Int, on redis: RedisClient) async throws {
        for _ in 0..<times {
            _ = try await redis.publish(RedisArgument(message), to: Invalidation.channel)
        }
    }
}
