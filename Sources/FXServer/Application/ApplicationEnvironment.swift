import FXCore
import Prometheus

/// What `buildApplication` takes besides `Settings`: the clock, the metrics registry, and for tests the
/// stores to use instead of those the settings would choose. `fxrates serve` passes only the registry.
public struct ApplicationEnvironment: Sendable {
    /// Today's date (UTC), for rejecting future dates.
    public var today: @Sendable () -> Day = { Day.today() }
    /// Whether this replica takes traffic; shared with the drain, which fails it first on shutdown.
    public var readiness = Readiness()
    /// What `/metrics` shows; `fxrates serve` bootstraps swift-metrics with a factory that writes here.
    public var metrics = PrometheusCollectorRegistry()
    /// The dependencies this replica uses and whether each is healthy; derived from the settings when nil.
    public var health: DependencyHealth?
    /// Serves these rates instead of the embedded history; ignored when `DATABASE_URL` is set.
    /// The replica is ready when `readiness` says so: mark it once the store can answer.
    public var rateStore: (any RateStore)?
    /// Looks API keys up here instead of in PostgreSQL (or nowhere, when embedded).
    public var apiKeyStore: (any APIKeyStore)?
    public var apiKeyCaching = APIKeyCache.Policy()
    /// Shares limits through this limiter instead of the Redis of `REDIS_URL`.
    public var sharedLimiter: (any RateLimiter)?
    /// Admin routes over a store and writer of the test's own, instead of those of `DATABASE_URL`.
    public var admin: AdminAccess?
    /// The trace exporter `fxrates serve` bootstrapped when tracing is on; nil traces nothing and installs
    /// no tracing middleware.
    public var traceExport: TraceExport?

    public init() {}
}
