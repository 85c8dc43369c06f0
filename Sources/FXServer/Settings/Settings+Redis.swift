import FXRedis

extension Settings {
    /// `REDIS_URL` completed by the settings a URL cannot carry: the sentinels' password and, for `rediss`, the
    /// TLS files. Nil without `REDIS_URL`.
    public func redisConfiguration() throws -> RedisConfiguration? {
        guard let redisURL else { return nil }
        var configuration = try RedisConfiguration(url: redisURL)
        configuration.sentinel?.password = redisSentinelPassword
        if configuration.tls != nil {
            configuration.tls = redisTLS
        }
        return configuration
    }
}
