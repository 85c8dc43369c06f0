import Prometheus

/// The rate-limit counters that alerts and metering read: every decision by how it was made, and the 429s
/// of each tenant (tenants are few; every anonymous caller is the one tenant `anonymous`).
struct RateLimitMetrics: Sendable {
    enum Outcome: String, Sendable, CaseIterable {
        /// Decided by the shared limiter (or the in-process one when there is no Redis at all).
        case allowed, limited
        /// Decided by the fallback while Redis is unreachable.
        case fallbackAllowed = "fallback_allowed", fallbackLimited = "fallback_limited"
        /// Refused with a 503 because Redis is unreachable and the fallback is `closed`.
        case failedClosed = "failed_closed"
    }

    private let registry: PrometheusCollectorRegistry
    private let decisions: [Outcome: Counter]

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        // Made up front so every outcome is exported (at 0) before it first happens: rate() needs the series.
        decisions = Dictionary(uniqueKeysWithValues: Outcome.allCases.map { outcome in
            (outcome, registry.makeCounter(descriptor: .fxrates(
                "rate_limit_decisions", unit: "total", help: "Rate-limit decisions on /v1 requests, by how they were made"
            ), labels: [("outcome", outcome.rawValue)]))
        })
    }

    func record(_ outcome: Outcome) {
        decisions[outcome]?.increment()
    }

    func recordLimited(tenant: String) {
        registry.makeCounter(descriptor: .fxrates(
            "requests_limited", unit: "total", help: "Requests answered 429 Too Many Requests, by tenant"
        ), labels: [("tenant", tenant)]).increment()
    }
}
