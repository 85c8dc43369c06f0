/// Decides whether a client may make one more request under all of its windows, all-or-nothing:
/// a request is counted in every window or in none, and a denied request consumes nothing.
public protocol RateLimiter: Sendable {
    func acquire(key: String, windows: [RateLimitWindow]) async throws -> RateLimitDecision
}
