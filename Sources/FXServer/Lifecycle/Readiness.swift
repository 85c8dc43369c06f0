import Synchronization

/// Whether this replica should receive traffic: its rates are loaded and it is not shutting down.
/// Shared dependencies never gate readiness, or one blip would empty the whole Kubernetes Service.
public final class Readiness: Sendable {
    private let ratesLoaded = Atomic(false)
    private let draining = Atomic(false)

    public init() {}

    public func markRatesLoaded() {
        ratesLoaded.store(true, ordering: .releasing)
    }

    public func markDraining() {
        draining.store(true, ordering: .releasing)
    }

    var hasRates: Bool { ratesLoaded.load(ordering: .acquiring) }
    var isDraining: Bool { draining.load(ordering: .acquiring) }
    var isReady: Bool { hasRates && !isDraining }
}
