import FXCore
import FXLifecycle
import FXRedis
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing

@testable import FXServer

/// The series the alerts of `deploy/k8s/components/monitoring` read, by their exact names.
@Suite("Metrics for alerts and metering")
struct AlertMetricsTests {
    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Every sample of `registry` as `name{labels}` → value.
    static func samples(_ registry: PrometheusCollectorRegistry) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in registry.emitToString().split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    private func environment(_ registry: PrometheusCollectorRegistry) -> ApplicationEnvironment {
        var environment = testEnvironment()
        environment.metrics = registry
        environment.health = DependencyHealth([.redis: true, .postgres: false])
        return environment
    }

    private func settings(limits: String, metricsPort: Int? = nil) throws -> Settings {
        var settings = Settings()
        settings.anonymousLimits = try .init(parsing: limits)
        settings.metricsPort = metricsPort
        return settings
    }

    @Test func decisionsAndLimitedTenantsAreCounted() async throws {
        let registry = PrometheusCollectorRegistry()
        let app = try buildApplication(settings: try settings(limits: "2/minute"), environment: environment(registry),
                                       logger: Self.quiet)
        try await app.test(.router) { client in
            for _ in 0..<5 { _ = try await client.execute(uri: "/v1/currencies", method: .get) { $0.status } }
        }
        let samples = Self.samples(registry)
        #expect(samples[#"fxrates_rate_limit_decisions_total{outcome="allowed"}"#] == 2)
        #expect(samples[#"fxrates_rate_limit_decisions_total{outcome="limited"}"#] == 3)
        #expect(samples[#"fxrates_rate_limit_decisions_total{outcome="fallback_allowed"}"#] == 0)
        #expect(samples[#"fxrates_requests_limited_total{tenant="anonymous"}"#] == 3)
    }

    @Test func theMetricsPortServesMetricsAndTheAPIPortNoLonger() async throws {
        let registry = PrometheusCollectorRegistry()
        let settings = try settings(limits: "100/minute", metricsPort: 9464)
        let api = try buildApplication(settings: settings, environment: environment(registry), logger: Self.quiet)
        try await api.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            #expect(try await client.execute(uri: "/health", method: .get) { $0.status } == .ok)
        }
        // The listener of the metrics port, over the same wiring as the application's.
        let wiring = try Wiring(settings: settings, environment: environment(registry), logger: Self.quiet)
        let metrics = Application(router: buildMetricsRouter(wiring.routes))
        try await metrics.test(.router) { client in
            #expect(try await client.execute(uri: "/v1/currencies", method: .get) { $0.status } == .notFound)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains("fxrates_ready 1"))
                #expect(text.contains(#"fxrates_dependency_up{dependency="redis"} 1"#))
                #expect(text.contains(#"fxrates_dependency_up{dependency="postgres"} 0"#))
                // 2026-10-30, the newest observation bundled, at 00:00 UTC.
                #expect(text.contains("fxrates_rates_latest_observation_timestamp_seconds 1793318400"))
                // From then to the tests' today, Saturday 2026-11-28: the TARGET business days 2-27 November.
                // Twenty days stale, and still ready: staleness is an alert, never a readiness failure.
                #expect(text.contains("fxrates_rates_latest_observation_age_target_business_days 20"))
            }
        }
    }

    @Test func readinessIsSampledWhenScraped() async throws {
        let registry = PrometheusCollectorRegistry()
        let readiness = Readiness()
        var routes = try Wiring(settings: settings(limits: "100/minute"), environment: environment(registry),
                                logger: Self.quiet).routes
        routes.readiness = readiness
        let app = Application(router: buildMetricsRouter(routes))
        try await app.test(.router) { client in
            let before = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(before.contains("fxrates_ready 0"))
            readiness.markRatesLoaded()
            let after = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(after.contains("fxrates_ready 1"))
        }
    }

    @Test func fallbackDecisionsAndTheOpenCircuitAreReported() async throws {
        var configuration = RedisConfiguration(host: "127.0.0.1", port: 1)
        configuration.connectTimeout = .milliseconds(100)
        let redis = RedisClient(configuration: configuration, logger: Self.quiet)
        let registry = PrometheusCollectorRegistry()
        let health = DependencyHealth([.redis: true])
        let window = RateLimitWindow(name: "minute", quota: 4, seconds: 60)
        try await withRunning(redis) { redis in
            for fallback in [RateLimitFallback.local, .closed] {
                let breaker = CircuitBreaker(name: "redis", logger: Self.quiet) { health.record(.redis, up: $0 == .closed) }
                let gate = RateLimitGate(shared: RedisRateLimiter(client: redis), local: InProcessRateLimiter(), breaker: breaker,
                                         fallback: fallback, expectedReplicas: 2, metrics: RateLimitMetrics(registry: registry))
                for _ in 0..<3 { _ = await gate.acquire(key: "client-\(fallback)", windows: [window]) }
            }
        }
        let samples = Self.samples(registry)
        // Local: the quota of 4 divided by 2 expected replicas admits 2 of 3; closed refuses all 3.
        #expect(samples[#"fxrates_rate_limit_decisions_total{outcome="fallback_allowed"}"#] == 2)
        #expect(samples[#"fxrates_rate_limit_decisions_total{outcome="fallback_limited"}"#] == 1)
        #expect(samples[#"fxrates_rate_limit_decisions_total{outcome="failed_closed"}"#] == 3)
        #expect(samples[#"fxrates_rate_limit_decisions_total{outcome="allowed"}"#] == 0)
        #expect(health.snapshot[.redis] == false)
    }
}
