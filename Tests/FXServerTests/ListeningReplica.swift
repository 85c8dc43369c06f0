import FXCore
import FXLifecycle
import FXPostgres
import FXRedis
import FXServer
import FXStorage
import FXTestSupport
import Foundation
import Logging
import Testing

/// A PostgreSQL database holding `sampleECB` and a private Redis (the invalidation channel is shared by every
/// replica of a Redis, so tests that publish on it need their own), with `clients` running clients of it.
func withSampleRatesAndPrivateRedis(
    clients: Int,
    _ body: (_ database: PostgresClient, _ redis: RedisConfiguration, _ clients: [RedisClient]) async throws -> Void
) async throws {
    let server = try await RedisServerProcess()
    defer { server.destroy() }
    var configuration = try RedisConfiguration(url: server.url)
    configuration.commandTimeout = .seconds(30)
    try await withRedisClients(clients, configuration) { redisClients in
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            try await body(client, configuration, redisClients)
        }
    }
}

/// A replica's rate store loading from `loader`, kept current by an `InvalidationListener` subscribed through
/// `redis`; `body` runs once it is subscribed and has loaded the rates.
func withListeningReplica(
    loader: any RateHistorySource, redis: RedisConfiguration, logger: Logger,
    _ body: (ReloadableRateStore) async throws -> Void
) async throws {
    let store = ReloadableRateStore(loader: loader)
    let subscriber = RedisSubscriber(configuration: redis, channels: [Invalidation.channel], logger: TestDatabase.logger)
    let listener = InvalidationListener(subscriber: subscriber, rates: store,
                                        apiKeys: APIKeyCache(store: EmptyAPIKeyStore()), logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await withRunning(subscriber) { _ in try await listener.run() } }
        defer { group.cancelAll() }
        #expect(try await eventually { subscriber.isSubscribed && (try? store.coverage()) != nil })
        try await body(store)
    }
}

/// Whether the tests that start their own Redis next to the test PostgreSQL can run.
let canRunPrivateRedisWithPostgres = TestDatabase.isConfigured
    && FileManager.default.fileExists(atPath: "/usr/bin/redis-server")
