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
public func buildRouter(_ dependencies: AppDependencies) throws -> Router<FXRequestContext> {
    let router = Router(context: FXRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: APIKeyMiddleware(keys: dependencies.apiKeys, requireAPIKey: dependencies.requireAPIKey))
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: RateLimitMiddleware(gate: rateLimitGate(dependencies.rateLimiting), limits: dependencies.rateLimiting))
    let endpoints = Endpoint.allCases.filter { $0 != .adminRates || dependencies.admin != nil }
    router.add(middleware: ProblemMiddleware(endpoints: endpoints))
    router.add(middleware: APIKeyRejectionMiddleware())

    let service = ConversionService(store: dependencies.store)
    ConvertController(service: service, today: dependencies.today).addRoutes(to: router)
    RatesController(service: service, today: dependencies.today).addRoutes(to: router)
    CurrenciesController(service: service).addRoutes(to: router)
    ProbesController(readiness: dependencies.readiness).addRoutes(to: router)
    MetricsController(registry: dependencies.metrics).addRoutes(to: router)
    try OpenAPIController().addRoutes(to: router)
    if let admin = dependencies.admin {
        AdminRatesController(service: admin.service, authorization: AdminAuthorization(token: admin.token),
                             today: dependencies.today).addRoutes(to: router)
    }
    return router
}

private func rateLimitGate(_ limits: RateLimiting) -> RateLimitGate {
    let logger = Logger(label: "fxrates.ratelimit")
    return RateLimitGate(
        shared: limits.shared, local: InProcessRateLimiter(), breaker: CircuitBreaker(name: "redis", logger: logger),
        fallback: limits.fallback, expectedReplicas: limits.expectedReplicas)
}

public func buildApplication(
    settings: Settings, dependencies: AppDependencies, logger: Logger
) throws -> some ApplicationProtocol {
    Application(
        router: try buildRouter(dependencies),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "fxrates"),
        logger: logger
    )
}
