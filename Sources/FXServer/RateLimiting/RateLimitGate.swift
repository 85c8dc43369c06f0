import FXCore
import Logging
import Prometheus
import Synchronization
import FXSupport
import Tracing

/// Decides each request's rate limit: shared limits through Redis when it answers, the configured
/// fallback when it does not, and a local memory of denied clients so that a client hammering while
/// denied costs no Redis round trips.
final class RateLimitGate: Sendable {
    enum Outcome: Sendable {
        case decided(RateLimitDecision)
        /// Redis is unreachable and the fallback is `closed`.
        case unavailable
    }

    /// What decided, for the trace.
    private enum Source: String {
        case redis, local, fallback
        /// The memory of denied clients, without asking anyone.
        case remembered
    }

    private let shared: (any RateLimiter)?
    private let local: InProcessRateLimiter
    private let breaker: CircuitBreaker
    private let fallback: RateLimitFallback
    private let expectedReplicas: Int
    private let denied: Mutex<LRUCache<String, (until: Int, decision: RateLimitDecision)>>
    private let now: @Sendable () -> Int
    private let metrics: RateLimitMetrics

    /// - Parameters:
    ///   - shared: the Redis limiter; nil runs on in-process limits alone (the embedded default, one replica).
    ///   - now: milliseconds since the Unix epoch, for the denied-client memory.
    init(shared: (any RateLimiter)?, local: InProcessRateLimiter, breaker: CircuitBreaker, fallback: RateLimitFallback,
         expectedReplicas: Int, deniedCapacity: Int = 100_000,
         now: @escaping @Sendable () -> Int = InProcessRateLimiter.systemMilliseconds,
         metrics: RateLimitMetrics = RateLimitMetrics(registry: PrometheusCollectorRegistry())) {
        self.shared = shared
        self.local = local
        self.breaker = breaker
        self.fallback = fallback
        self.expectedReplicas = max(1, expectedReplicas)
        self.denied = Mutex(LRUCache(capacity: deniedCapacity))
        self.now = now
        self.metrics = metrics
    }

    /// - Parameter counted: false keeps the decision out of `fxrates_rate_limit_decisions_total`, which
    ///   counts requests (the unknown-key limit counts lookups).
    func acquire(key: String, windows: [RateLimitWindow], counted: Bool = true) async -> Outcome {
        await withRequestChildSpan("rate limit check") { span in
            let (outcome, source) = await countedDecision(key: key, windows: windows, counted: counted)
            if let span { Self.describe(outcome, from: source, on: span) }
            return outcome
        }
    }

    private func countedDecision(key: String, windows: [RateLimitWindow], counted: Bool) async -> (Outcome, Source) {
        if let remembered = rememberedDenial(key) {
            if counted { metrics.record(.limited) }
            return (.decided(remembered), .remembered)
        }
        let (outcome, source) = await decide(key: key, windows: windows)
        let byFallback = source == .fallback
        switch outcome {
        case .unavailable:
            if counted { metrics.record(.failedClosed) }
        case .decided(let decision):
            switch (decision.allowed, byFallback) {
            case _ where !counted: break
            case (true, false): metrics.record(.allowed)
            case (false, false): metrics.record(.limited)
            case (true, true): metrics.record(.fallbackAllowed)
            case (false, true): metrics.record(.fallbackLimited)
            }
            if let retryAfter = decision.retryAfterSeconds { remember(key, decision, for: retryAfter) }
        }
        return (outcome, source)
    }

    private func decide(key: String, windows: [RateLimitWindow]) async -> (Outcome, Source) {
        guard let shared else { return (.decided(local.acquire(key: key, windows: windows)), .local) }
        if breaker.allowsCall() {
            do {
                let decision = try await shared.acquire(key: key, windows: windows)
                breaker.recordSuccess()
                return (.decided(decision), .redis)
            } catch {
                breaker.recordFailure()
            }
        }
        return (fallbackOutcome(key: key, windows: windows), .fallback)
    }

    private static func describe(_ outcome: Outcome, from source: Source, on span: any Span) {
        span.attributes["fxrates.rate_limit.source"] = source.rawValue
        if source == .redis {
            span.attributes["db.system.name"] = "redis"
            span.attributes["db.operation.name"] = "EVALSHA"
        }
        if case .decided(let decision) = outcome { span.attributes["fxrates.rate_limit.allowed"] = decision.allowed }
    }

    private func fallbackOutcome(key: String, windows: [RateLimitWindow]) -> Outcome {
        switch fallback {
        case .local:
            let divided = windows.map {
                RateLimitWindow(name: $0.name, quota: max(1, $0.quota / expectedReplicas), seconds: $0.seconds)
            }
            return .decided(local.acquire(key: key, windows: divided))
        case .open:
            let states = windows.map { RateLimitDecision.WindowState(window: $0, remaining: $0.quota, resetSeconds: $0.seconds) }
            return .decided(RateLimitDecision(allowed: true, windows: states, retryAfterSeconds: nil))
        case .closed:
            return .unavailable
        }
    }

    private func remember(_ key: String, _ decision: RateLimitDecision, for seconds: Int) {
        let until = now() + seconds * 1000
        denied.withLock { $0.set((until, decision), for: key) }
    }

    /// The denial still in force for `key`, with `Retry-After` counted down to now; no Redis round trip.
    func rememberedDenial(_ key: String) -> RateLimitDecision? {
        let time = now()
        guard let entry = denied.withLock({ $0.value(for: key) }), entry.until > time else { return nil }
        let retryAfter = max(1, (entry.until - time + 999) / 1000)
        return RateLimitDecision(allowed: false, windows: entry.decision.windows, retryAfterSeconds: retryAfter)
    }
}
