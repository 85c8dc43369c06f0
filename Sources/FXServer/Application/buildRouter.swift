import FXCore
import Hummingbird
import Logging
import Prometheus
import Tracing

/// What the routes are built from; `Wiring` makes it from the settings and the environment.
struct RouteDependencies: Sendable {
    var store: any RateStore
    var readiness: Readiness
    /// Today's date (UTC), for rejecting future dates.
    var today: @Sendable () -> Day
    /// Where API keys are looked up; the embedded default has none.
    var apiKeys: APIKeyCache
    /// Where each key's last use is noted; nil without a database.
    var apiKeyUses: APIKeyUseRecorder?
    /// Refuse API requests without an API key (`FX_REQUIRE_API_KEY`).
    var requireAPIKey: Bool
    /// Nil answers 404 on the admin routes, as if they did not exist.
    var admin: AdminAccess?
    var rateLimiting: RateLimiting
    var metrics: PrometheusCollectorRegistry
    /// The dependencies this replica uses and whether each is healthy, for `fxrates_dependency_up`.
    var health: DependencyHealth
    /// Browser origins that may read the GET routes (`FX_CORS_ORIGINS`).
    var corsOrigins = CORSOrigins.none
}

/// The router with every route of the API, each in the route group of its policy.
/// - Parameter servesMetrics: false when `/metrics` has a port of its own (`FX_METRICS_PORT`).
/// - Parameter sampler: a server span per request it samples; nil when tracing is off.
func buildRouter(_ dependencies: RouteDependencies, servesMetrics: Bool = true, sampler: TraceSampler? = nil) throws
    -> Router<FXRequestContext>
{
    let endpoints = Endpoint.allCases.filter {
        ($0.policy != .admin || dependencies.admin != nil) && ($0 != .metrics || servesMetrics)
    }
    let routes = EndpointRouter(middleware: policyMiddleware(dependencies, endpoints: endpoints),
                                tracing: sampler.map { RequestTracingMiddleware(tracer: InstrumentationSystem.tracer,
                                                                                sampler: $0) })
    let service = ConversionService(store: dependencies.store)
    let caching = ResponseCaching(isPrivate: dependencies.requireAPIKey)
    ConvertController(service: service, today: dependencies.today, caching: caching).addRoutes(to: routes)
    RatesController(service: service, today: dependencies.today, caching: caching).addRoutes(to: routes)
    CurrenciesController(service: service, caching: caching).addRoutes(to: routes)
    if dependencies.corsOrigins.isEnabled { PreflightController().addRoutes(to: routes) }
    ProbesController(readiness: dependencies.readiness).addRoutes(to: routes)
    if servesMetrics { metricsController(dependencies).addRoutes(to: routes) }
    try OpenAPIController().addRoutes(to: routes)
    try DocsController().addRoutes(to: routes)
    if let admin = dependencies.admin {
        AdminRatesController(service: admin.service, authorization: AdminAuthorization(tokens: admin.tokens),
                             today: dependencies.today).addRoutes(to: routes)
    }
    return routes.finish()
}

/// The router of the metrics port: `/metrics` alone, for the scraper.
func buildMetricsRouter(_ dependencies: RouteDependencies) -> Router<FXRequestContext> {
    let routes = EndpointRouter(middleware: policyMiddleware(dependencies, endpoints: [.metrics]))
    metricsController(dependencies).addRoutes(to: routes)
    return routes.finish()
}

/// The middleware of one policy (or of unmatched requests, for nil), over the shared limiter and metrics.
private func policyMiddleware(_ dependencies: RouteDependencies, endpoints: [Endpoint])
    -> @Sendable (RoutePolicy?) -> RoutePolicyMiddleware
{
    let rateLimitMetrics = RateLimitMetrics(registry: dependencies.metrics)
    let gate = rateLimitGate(dependencies.rateLimiting, metrics: rateLimitMetrics, health: dependencies.health)
    let authenticator = APIKeyAuthenticator(
        keys: dependencies.apiKeys, requireAPIKey: dependencies.requireAPIKey,
        unknownKeys: UnknownKeyLimit(gate: gate, buckets: dependencies.rateLimiting.addressBuckets),
        uses: dependencies.apiKeyUses)
    let limiter = RateLimitEnforcer(gate: gate, limits: dependencies.rateLimiting, metrics: rateLimitMetrics)
    let problems = ProblemAnswer(endpoints: endpoints, answersPreflights: dependencies.corsOrigins.isEnabled)
    let metrics = RequestMetrics()
    let crossOrigin = CrossOriginHeaders(origins: dependencies.corsOrigins)
    return { policy in
        RoutePolicyMiddleware(policy: policy, authenticator: authenticator, limiter: limiter, problems: problems,
                              metrics: metrics, crossOrigin: crossOrigin)
    }
}

private func metricsController(_ dependencies: RouteDependencies) -> MetricsController {
    MetricsController(registry: dependencies.metrics, gauges: HealthGauges(
        registry: dependencies.metrics, readiness: dependencies.readiness, dependencies: dependencies.health,
        store: dependencies.store, today: dependencies.today))
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
