/// Where the sentinels are and which primary to ask them for (`redis+sentinel://`).
public struct RedisSentinelConfiguration: Sendable, Equatable {
    /// Asked in this order; the first that names the primary wins.
    public var sentinels: [RedisEndpoint]
    /// The name the sentinels monitor the primary under (`sentinel monitor NAME ...`).
    public var primaryName: String
    /// Authenticates to the sentinels (`FX_REDIS_SENTINEL_PASSWORD`); the URL's credentials are the data nodes'.
    public var password: String?

    public static let defaultPort = 26379

    public init(sentinels: [RedisEndpoint], primaryName: String, password: String? = nil) {
        self.sentinels = sentinels
        self.primaryName = primaryName
        self.password = password
    }
}
