import ArgumentParser
import FXAPIKeys
import FXCore
import FXPostgres
import FXRedis
import FXServer
import FXStorage
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API. Settings come from the environment (FX_HOST, FX_PORT, DATABASE_URL, …).")

    func run() async throws {
        let settings = try loadSettings()
        bootstrapLogging(settings)
        let logger = Logger(label: "fxrates")

        let readiness = Readiness()
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))
        var configured: [DependencyHealth.Dependency: Bool] = [:]
        if settings.redisURL != nil { configured[.redis] = true }         // the circuit starts closed
        if settings.databaseURL != nil { configured[.postgres] = false }  // up once the first load succeeds
        let health = DependencyHealth(configured)
        let redis = try settings.redisURL.map { try redisClient($0, settings: settings, logger: logger) }
        var services: [any Service] = redis.map { [$0] } ?? []
        var dependencies: AppDependencies
        if let url = settings.databaseURL {
            let client = PostgresClient(configuration: .serving(url), logger: logger)
            let (store, admin, refresher) = try postgresStorage(client, settings, readiness, health, redis, logger)
            dependencies = AppDependencies(store: store, readiness: readiness,
                                           apiKeys: APIKeyCache(store: PostgresAPIKeyStore(client: client)), admin: admin)
            services += [client, refresher]
            if let redis {
                let subscriber = RedisSubscriber(configuration: redis.configuration, channels: [Invalidation.channel],
                                                 logger: logger)
                services += [subscriber, InvalidationListener(subscriber: subscriber, rates: store,
                                                              apiKeys: dependencies.apiKeys, logger: logger)]
            }
        } else {
            logger.info("no DATABASE_URL: serving the embedded ECB rate history from memory; no API keys exist")
            dependencies = AppDependencies(store: try InMemoryRateStore.bundledECB(), readiness: readiness)
            readiness.markRatesLoaded()
        }
        dependencies.requireAPIKey = settings.requireAPIKey
        dependencies.metrics = metrics
        dependencies.health = health
        dependencies.rateLimiting = RateLimiting(settings: settings, shared: redis.map { RedisRateLimiter(client: $0) })
        if redis == nil { logger.info("no REDIS_URL: rate limits are kept in this process") }

        let app = try buildApplication(settings: settings, dependencies: dependencies, logger: logger)
        if let metricsApp = buildMetricsApplication(settings: settings, dependencies: dependencies, logger: logger) {
            services.append(metricsApp)
        }
        let drain = DrainService(readiness: readiness, drainTime: .seconds(settings.drainSeconds), logger: logger)
        // Services stop in reverse order: the drain first, then the server, then the database client.
        let group = ServiceGroup(configuration: .init(
            services: services + [app, drain], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// The Redis client of rate limits and invalidations; it connects (and reconnects) in the background.
    private func redisClient(_ url: String, settings: Settings, logger: Logger) throws -> RedisClient {
        var configuration = try RedisConfiguration(url: url)
        configuration.commandTimeout = settings.redisTimeout
        // Short pauses between reconnects, so that shared limits resume within seconds of Redis returning.
        configuration.reconnectPolicy = ReconnectBackoff(initialDelay: .milliseconds(100), maximumDelay: .seconds(1))
        logger.info("sharing rate limits and invalidations through Redis", metadata: ["redis": "\(configuration)"])
        return RedisClient(configuration: configuration, logger: logger)
    }

    /// The store that a `RatesRefreshService` fills once PostgreSQL answers with a schema this build can serve;
    /// until then the replica is unready, so `serve` can start before the migration Job has finished.
    private func postgresStorage(
        _ client: PostgresClient, _ settings: Settings, _ readiness: Readiness, _ health: DependencyHealth,
        _ redis: RedisClient?, _ logger: Logger
    ) throws -> (ReloadableRateStore, AdminAccess?, RatesRefreshService) {
        let gate = SchemaGate(migrator: try Migrator(client: client, logger: logger), autoMigrate: settings.autoMigrate)
        let database = RateHistoryLoader(client: client)
        let loader: any RateHistorySource = redis.map { RedisCachedRateHistory(database: database, redis: $0, logger: logger) }
            ?? database
        let store = ReloadableRateStore(loader: loader)
        let publisher = redis.map { InvalidationPublisher(redis: $0, logger: logger) }
        let admin = settings.adminToken.map { token in
            AdminAccess(service: AdminRatesService(writer: RatesWriter(client: client), store: store, publisher: publisher),
                        token: token)
        }
        let refresher = RatesRefreshService(gate: gate, loader: loader, store: store, readiness: readiness,
                                            health: health, logger: logger)
        return (store, admin, refresher)
    }
}

extension PostgresClientConfiguration {
    /// For `serve`: requests wait on API key lookups and admin writes, so an unreachable database must
    /// turn into a 503 within seconds rather than hang them.
    static func serving(_ connectionString: String) -> PostgresClientConfiguration {
        var configuration = PostgresClientConfiguration(connectionString: connectionString)
        configuration.connectTimeoutSeconds = 2
        configuration.connectionAcquireTimeout = .seconds(2)
        return configuration
    }
}

/// Reads the settings, or stops the process with one line that names the bad variable.
func loadSettings() throws -> Settings {
    do {
        return try Settings(environment: ProcessInfo.processInfo.environment)
    } catch {
        throw failure("\(error)", code: 2)
    }
}

/// Logging is bootstrapped once per process, here only: bootstrapping twice crashes.
func bootstrapLogging(_ settings: Settings) {
    LoggingSystem.bootstrap { label in
        switch settings.logFormat {
        case .json:
            return JSONLogHandler(label: label, level: settings.logLevel)
        case .text:
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = settings.logLevel
            return handler
        }
    }
}
