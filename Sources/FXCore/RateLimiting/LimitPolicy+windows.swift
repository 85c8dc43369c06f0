extension LimitPolicy {
    /// The sliding windows that enforce this policy, named after their units ("minute", "day").
    public var windows: [RateLimitWindow] {
        limits.map { RateLimitWindow(name: $0.unit.rawValue, quota: $0.count, seconds: $0.unit.seconds) }
    }
}
