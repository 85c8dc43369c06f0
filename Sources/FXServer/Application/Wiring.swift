import FXCore
import FXRedis
import FXStorage
import Logging
import ServiceLifecycle
import FXSupport

/// What the settings call for, made once: the route dependencies, and the services that must run for
/// them to work (clients first, so that they stop last).
struct Wiring {
    private(set) var routes: RouteDependencies
    private(set) var services: [any Service]

    /// Where rates, API keys and admin writes come from: the embedded history, or PostgreSQL.
    private struct Sources {
        var store: any RateStore
        var apiKeys: APIKeyCache
        var apiKeyUses: APIKeyUseRecorder?
        var admin: AdminAccess?
    }

    init(settings: Settings, environment: ApplicationEnvironment, logger: Logger) throws {
        let health = environment.health ?? Self.health(settings)
        let redis = try settings.redisConfiguration().map { Self.redisClient($0, settings: settings, logger: logger) }
        var services: [any Service] = redis.map { [$0] } ?? []
        let shared = environment.sharedLimiter ?? redis.map {
            RedisRateLimiter(client: $0, maximumBatchSize: settings.redisBatchSize)
        }
        if shared == nil { logger.info("no REDIS_URL: rate limits are kept in this process") }

        let sources = try settings.databaseURL.map { url in
            try Self.database(url, settings: settings, environment: environment, health: health, redis: redis,
                              services: &services, logger: logger)
        } ?? Self.embedded(environment, logger: logger)
        routes = RouteDependencies(
            store: sources.store, readiness: environment.readiness, today: environment.today,
            apiKeys: sources.apiKeys, apiKeyUses: sources.apiKeyUses, requireAPIKey: settings.requireAPIKey, admin: sources.admin,
            rateLimiting: RateLimiting(settings: settings, shared: shared), metrics: environment.metrics,
            health: health, corsOrigins: settings.corsOrigins)
        self.services = services
    }

    /// The bundled ECB history (or the store a test hands in), no API keys, no admin routes.
    private static func embedded(_ environment: ApplicationEnvironment, logger: Logger) throws -> Sources {
        let keys = APIKeyCache(store: environment.apiKeyStore ?? EmptyAPIKeyStore(), policy: environment.apiKeyCaching)
        if let store = environment.rateStore {
            // Whoever hands in a store says when it is ready.
            return Sources(store: store, apiKeys: keys, admin: environment.admin)
        }
        logger.info("no DATABASE_URL: serving the embedded ECB rate history from memory; no API keys exist")
        let store = try InMemoryRateStore.bundledECB()
        environment.readiness.markRatesLoaded()
        return Sources(store: store, apiKeys: keys, admin: environment.admin)
    }

    /// Rates from PostgreSQL, through the Redis copy when there is Redis; API keys and admin writes too.
    private static func database(
        _ url: String, settings: Settings, environment: ApplicationEnvironment, health: DependencyHealth,
        redis: RedisClient?, services: inout [any Service], logger: Logger
    ) throws -> Sources {
        let database = RatesDatabase(connectionString: url, autoMigrate: settings.autoMigrate, logger: logger)
        // The history's copy in Redis travels on a connection of its own, on the reload thread.
        let copyRedis = redis.map { redis in
            var configuration = redis.configuration
            configuration.connectionCount = 1
            return RedisClient(configuration: configuration, eventLoopGroup: ReloadThread.eventLoopGroup, logger: logger)
        }
        if let copyRedis { services.append(copyRedis) }
        let untraced: any RateHistorySource = copyRedis.map {
            RedisCachedRateHistory(database: database.history, digests: database.history, redis: $0, logger: logger)
        } ?? database.history
        let loader: any RateHistorySource = environment.traceExport.map {
            TracedRateHistory(loader: untraced, system: copyRedis == nil ? "postgresql" : "redis", sampler: $0.sampler)
        } ?? untraced
        let store = ReloadableRateStore(loader: loader)
        let apiKeys = APIKeyCache(store: environment.apiKeyStore ?? database.apiKeys, policy: environment.apiKeyCaching)
        let publisher = redis.map { InvalidationPublisher(redis: $0, logger: logger) }
        let admin = environment.admin ?? (settings.adminTokens.isEmpty ? nil : AdminAccess(
            service: AdminRatesService(writer: database.writer, store: store, publisher: publisher),
            tokens: settings.adminTokens))
        let apiKeyUses = APIKeyUseRecorder(store: database.apiKeys, logger: logger)
        // The refresher makes the replica ready once the schema is servable and the first load succeeded,
        // so `serve` may start before the migration Job has finished.
        services += [database, RatesRefreshService(gate: try database.schemaGate(), loader: loader, store: store,
                                                   readiness: environment.readiness, health: health, logger: logger),
                     apiKeyUses]
        if let redis {
            let subscriber = RedisSubscriber(configuration: redis.configuration, channels: [Invalidation.channel],
                                             clusterNodes: { redis.clusterNodes }, logger: logger)
            services += [subscriber, InvalidationListener(subscriber: subscriber, rates: store, apiKeys: apiKeys,
                                                          logger: logger)]
        }
        return Sources(store: store, apiKeys: apiKeys, apiKeyUses: apiKeyUses, admin: admin)
    }

    /// Configured dependencies for `fxrates_dependency_up`: Redis starts up (its circuit starts closed),
    /// PostgreSQL down until the first load succeeds.
    private static func health(_ settings: Settings) -> DependencyHealth {
        var configured: [DependencyHealth.Dependency: Bool] = [:]
        if settings.redisURL != nil { configured[.redis] = true }
        if settings.databaseURL != nil { configured[.postgres] = false }
        return DependencyHealth(configured)
    }

    /// The Redis client of rate limits and invalidations; it connects (and reconnects) in `run()`.
    private static func redisClient(_ configuration: RedisConfiguration, settings: Settings, logger: Logger) -> RedisClient {
        var configuration = configuration
        configuration.commandTimeout = settings.redisTimeout
        // Short pauses between reconnects, so that shared limits resume within seconds of Redis returning.
        configuration.reconnectPolicy = ReconnectBackoff(initialDelay: .milliseconds(100), maximumDelay: .seconds(1))
        logger.info("sharing rate limits and invalidations through Redis", metadata: ["redis": "\(configuration)"])
        return RedisClient(configuration: configuration, logger: logger)
    }
}
