import FXCore

/// How `/v1` requests are rate limited: the shared limiter, the limits of callers that bring none of
/// their own, and what to believe about client addresses.
public struct RateLimiting: Sendable {
    /// Limits shared through Redis; nil keeps them in this process (the embedded default, one replica).
    public var shared: (any RateLimiter)?
    /// Per client address for callers without an API key (`FX_ANON_LIMITS`).
    public var anonymous: LimitPolicy
    /// For API keys whose row has no limits (`FX_KEY_DEFAULT_LIMITS`).
    public var apiKeyDefault: LimitPolicy
    public var trustedProxies: TrustedProxies
    /// IPv6 clients count per network of this many bits (`FX_IPV6_PREFIX`).
    public var ipv6PrefixLength: Int
    public var fallback: RateLimitFallback
    public var expectedReplicas: Int

    public init(settings: Settings, shared: (any RateLimiter)? = nil) {
        self.shared = shared
        anonymous = settings.anonymousLimits
        apiKeyDefault = settings.apiKeyDefaultLimits
        trustedProxies = settings.trustedProxies
        ipv6PrefixLength = settings.ipv6PrefixLength
        fallback = settings.rateLimitFallback
        expectedReplicas = settings.expectedReplicas
    }

    var addressBuckets: ClientAddressBuckets {
        ClientAddressBuckets(trustedProxies: trustedProxies, ipv6PrefixLength: ipv6PrefixLength)
    }
}
