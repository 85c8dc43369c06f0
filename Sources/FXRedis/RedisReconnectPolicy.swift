/// Capped exponential backoff with jitter between reconnection attempts.
public struct RedisReconnectPolicy: Sendable, Hashable {
    public var initialDelay: Duration
    public var maximumDelay: Duration

    public init(initialDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(5)) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// The delay before retry number `attempt` (starting at 0): the capped
    /// exponential value, drawn uniformly from its upper half so that many
    /// clients that lost Redis together do not reconnect in lockstep.
    func delay(attempt: Int) -> Duration {
        let exponent = min(attempt, 30)
        let ceiling = min(initialDelay * (1 << exponent), maximumDelay)
        let jitter = Double.random(in: 0.5...1.0)
        return ceiling * jitter
    }
}
