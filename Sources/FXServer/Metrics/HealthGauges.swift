import FXCore
import Prometheus

/// The gauges that alerts read about this replica's health, set from the live state each time `/metrics`
/// is scraped: nothing on the request path has to keep them up to date.
struct HealthGauges: Sendable {
    let registry: PrometheusCollectorRegistry
    let readiness: Readiness
    let dependencies: DependencyHealth
    let store: any RateStore
    let today: @Sendable () -> Day

    func sample() async {
        registry.makeGauge(descriptor: .fxrates(
            "ready", help: "1 while this replica is ready (rates loaded, not draining), else 0"
        )).set(to: readiness.isReady ? 1.0 : 0.0)
        for (dependency, up) in dependencies.snapshot {
            registry.makeGauge(descriptor: .fxrates(
                "dependency_up",
                help: "1 while the dependency is healthy (Redis: circuit closed; PostgreSQL: last refresh succeeded)"
            ), labels: [("dependency", dependency.rawValue)]).set(to: up ? 1.0 : 0.0)
        }
        // Before the first load there is no newest observation; exporting 0 would read as 56 years stale.
        if let latest = try? await store.observation(onOrBefore: nil, notBefore: nil, quoting: []) {
            registry.makeGauge(descriptor: .fxrates(
                "rates_latest_observation_timestamp", unit: "seconds",
                help: "The date of the newest rate observation served, as Unix time at 00:00 UTC"
            )).set(to: Double(latest.date.daysSinceEpoch) * 86_400)
            // What the stale-rates alert compares with 2: counted here, with Easter, because PromQL cannot.
            registry.makeGauge(descriptor: .fxrates(
                "rates_latest_observation_age_target_business_days",
                help: "TARGET business days (ECB publication days) after the newest observation served, up to today (UTC)"
            )).set(to: Double(TARGETCalendar.businessDays(after: latest.date, through: today())))
        }
    }
}
