/// One limit of a client: at most `quota` requests in any sliding `seconds`-long window.
public struct RateLimitWindow: Hashable, Sendable {
    /// The policy's name in `RateLimit-Policy` and `RateLimit` headers ("minute", "day").
    public let name: String
    public let quota: Int
    public let seconds: Int

    public init(name: String, quota: Int, seconds: Int) {
        self.name = name
        self.quota = quota
        self.seconds = seconds
    }
}
