import FXCore
import FXLifecycle
import FXPostgres
import FXRedis
import FXServer
import FXStorage
import Foundation
import HummingbirdTesting
import Testing
import FXTestSupport

@Suite("Invalidations over Redis pub/sub",
       .enabled(if: TestDatabase.isConfigured && ProcessInfo.processInfo.environment["FX_TEST_REDIS_URL"] != nil))
struct InvalidationTests {
    @Test(arguments: [Invalidation.rates(on: testToday), .allRates, .apiKeys])
    func messagesRoundTrip(invalidation: Invalidation) {
        #expect(Invalidation(message: invalidation.message) == invalidation)
    }

    @Test func aWriteOnOneReplicaReachesTheOthers() async throws {
        var configuration = try RedisConfiguration(url: ProcessInfo.processInfo.environment["FX_TEST_REDIS_URL"]!)
        configuration.commandTimeout = .seconds(30)
        let redis = RedisClient(configuration: configuration, logger: TestDatabase.logger)
        try await withRunning(redis) { redis in
            try await redis.waitUntilConnected(timeout: .seconds(30))
            try await writeReachesOtherReplicas(publisher: InvalidationPublisher(redis: redis, logger: TestDatabase.logger),
                                                configuration: configuration)
        }
    }

    private func writeReachesOtherReplicas(publisher: InvalidationPublisher, configuration: RedisConfiguration) async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            // Replica A writes and announces; B and C only listen.
            let a = ReloadableRateStore(loader: RateHistoryLoader(client: client))
            try await a.reload()
            let admin = AdminAccess(
                service: AdminRatesService(writer: RatesWriter(client: client), store: a, publisher: publisher),
                token: adminToken)
            let others = [ReloadableRateStore(loader: RateHistoryLoader(client: client)),
                          ReloadableRateStore(loader: RateHistoryLoader(client: client))]
            let subscribers = others.map { _ in
                RedisSubscriber(configuration: configuration, channels: [Invalidation.channel], logger: TestDatabase.logger)
            }
            try await withThrowingTaskGroup(of: Void.self) { listeners in
                for (store, subscriber) in zip(others, subscribers) {
                    let listener = InvalidationListener(subscriber: subscriber, rates: store,
                                                        apiKeys: APIKeyCache(store: EmptyAPIKeyStore()),
                                                        logger: TestDatabase.logger)
                    listeners.addTask { try await withRunning(subscriber) { _ in try await listener.run() } }
                }
                // Subscribed means the first full load is done or under way: wait until both can answer.
                for store in others { #expect(try await eventually { (try? store.coverage()) != nil }) }

                try await withLiveApp(store: a, admin: admin) { http in
                    let (status, _, _) = try await http.putRates("2026-11-27", #"{"source":"ECB","rates":{"USD":"1.4242"}}"#)
                    #expect(status == .ok)
                }
                for store in others {
                    let seen = try await eventually {
                        let table = try? store.observation(onOrBefore: nil, notBefore: nil, quoting: ["USD"])
                        return table?.perEuro("USD")?.decimal == Decimal(string: "1.4242")
                    }
                    #expect(seen, "a listening replica shows the write")
                }
                listeners.cancelAll()
            }
        }
    }
}
