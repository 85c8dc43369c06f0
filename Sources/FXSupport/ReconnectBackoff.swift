/// Capped exponential backoff with jitter, for reconnecting to PostgreSQL and Redis and for retrying loads.
public struct ReconnectBackoff: Sendable, Hashable {
    public var initialDelay: Duration
    public var maximumDelay: Duration

    public init(initialDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(10)) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// The delay after `failures` consecutive failures (1 = first failure): a random
    /// value in the upper half of `min(maximumDelay, initialDelay * 2^(failures-1))`,
    /// so replicas that lost the database together do not reconnect in lockstep.
    public func delay<G: RandomNumberGenerator>(afterFailures failures: Int, using generator: inout G) -> Duration {
        guard failures > 0 else { return .zero }
        let exponent = min(failures - 1, 30)
        let ceiling = min(maximumDelay, initialDelay * (1 << exponent))
        return ceiling * Double.random(in: 0.5...1.0, using: &generator)
    }

    public func delay(afterFailures failures: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterFailures: failures, using: &generator)
    }
}
