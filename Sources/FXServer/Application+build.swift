import FXCore
import Hummingbird
import Logging
import Prometheus

/// What the application is built from. Tests hand in their own store, clock and readiness.
public struct AppDependencies: Sendable {
    public var store: any RateStore
    public var readiness: Readiness
    /// Today's date (UTC), for rejecting future dates.
    public var today: @Sendable () -> Day
    /// Where `/v1` requests' API keys are looked up; the embedded default has none.
    public var apiKeys: APIKeyCache
    /// Refuse `/v1` requests without an API key (`FX_REQUIRE_API_KEY`).
    public var requireAPIKey: Bool
    /// Nil answers 404 on the admin routes, as if they did not exist.
    public var admin: AdminAccess?
    public var rateLimiting = RateLimiting(settings: Settings())
    /// What `/metrics` shows; `fxrates serve` bootstraps swift-metrics with a factory that writes here.
    public var metrics = PrometheusCollectorRegistry()
    /// The dependencies this replica uses and whether each is healthy, for `fxrates_dependency_up`.
    public var health = DependencyHealth()

    public init(
        store: any RateStore, readiness: Readiness, today: @escaping @Sendable () -> Day = { Day.today() },
        apiKeys: APIKeyCache = APIKeyCache(store: EmptyAPIKeyStore()), requireAPIKey: Bool = false,
        admin: AdminAccess? = nil
    ) {
        self.store = store
        self.readiness = readiness
        self.today = today
        self.apiKeys = apiKeys
        self.requireAPIKey = requireAPIKey
        self.admin = admin
    }
}

/// The router with every route and middleware of the API.
/// - Parameter servesMetrics: false when `/metrics` has a port of its own (`FX_METRICS_PORT`).
public func buildRouter(_ dependencies: AppDependencies, servesMetrics: Bool = true) throws -> Router<FXRequestContext> {
    let router = Router(context: FXRequestContext.self, options: .autoGenerateHeadEndpoints)
    let rateLimitMetrics = RateLimitMetrics(registry: dependencies.metrics)
    router.add(middleware: APIKeyMiddleware(keys: dependencies.apiKeys, requireAPIKey: dependencies.requireAPIKey))
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: RateLimitMiddleware(
        gate: rateLimitGate(dependencies.rateLimiting, metrics: rateLimitMetrics, health: dependencies.health),
        limits: dependencies.rateLimiting, metrics: rateLimitMetrics))
    let endpoints = Endpoint.allCases.filter {
        ($0 != .adminRates || dependencies.admin != nil) && ($0 != .metrics || servesMetrics)
    }
    router.add(middleware: ProblemMiddleware(endpoints: endpoints))
    router.add(middleware: APIKeyRejectionMiddleware())

    let service = ConversionService(store: dependencies.store)
    ConvertController(service: service, today: dependencies.today).addRoutes(to: router)
    RatesController(service: service, today: dependencies.today).addRoutes(to: router)
    CurrenciesController(service: service).addRoutes(to: router)
    ProbesController(readiness: dependencies.readiness).addRoutes(to: router)
    if servesMetrics { metricsController(dependencies).addRoutes(to: router) }
    try OpenAPIController().addRoutes(to: router)
    if let admin = dependencies.admin {
        AdminRatesController(service: admin.service, authorization: AdminAuthorization(token: admin.token),
                             today: dependencies.today).addRoutes(to: router)
    }
    return router
}

/// The router of the metrics port: `/metrics` alone, unlimited and unlogged, for the scraper.
public func buildMetricsRouter(_ dependencies: AppDependencies) -> Router<FXRequestContext> {
    let router = Router(context: FXRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ProblemMiddleware(endpoints: [.metrics]))
    metricsController(dependencies).addRoutes(to: router)
    return router
}

private func metricsController(_ dependencies: AppDependencies) -> MetricsController {
    MetricsController(registry: dependencies.metrics, gauges: HealthGauges(
        registry: dependencies.metrics, readiness: dependencies.readiness, dependencies: dependencies.health,
        store: dependencies.store))
}

private func rateLimitGate(_ limits: RateLimiting, metrics: RateLimitMetrics, health: DependencyHealth) -> RateLimitGate {
    let logger = Logger(label: "fxrates.ratelimit")
    let breaker = CircuitBreaker(name: "redis", logger: logger) { state in
        health.record(.redis, up: state == .closed)
    }
    return RateLimitGate(
        shared: limits.shared, local: InProcessRateLimiter(), breaker: breaker,
        fallback: limits.fallback, expectedReplicas: limits.expectedReplicas, metrics: metrics)
}

public func buildApplication(
    settings: Settings, dependencies: AppDependencies, logger: Logger
) throws -> some ApplicationProtocol {
    Application(
        router: try buildRouter(dependencies, servesMetrics: settings.metricsPort == nil),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "fxrates"),
        logger: logger
    )
}

/// The listener of `FX_METRICS_PORT`, or nil when `/metrics` is served on the API port.
public func buildMetricsApplication(
    settings: Settings, dependencies: AppDependencies, logger: Logger
) -> (some ApplicationProtocol)? {
    settings.metricsPort.map { port in
        Application(
            router: buildMetricsRouter(dependencies),
            configuration: .init(address: .hostname(settings.host, port: port), serverName: "fxrates"),
            logger: logger
        )
    }
}
