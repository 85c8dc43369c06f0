import FXCore
import FXRedis
import FXServer
import HummingbirdTesting
import Testing

/// A live app whose anonymous limits (generous: the tests measure sharing, not refusing) are shared through
/// `redis`, falling back to local limits while Redis is unreachable.
func withRedisLimitedApp(_ redis: RedisClient, _ body: @Sendable (any TestClientProtocol) async throws -> Void)
    async throws
{
    var settings = Settings()
    settings.anonymousLimits = try LimitPolicy(parsing: "100000/minute")
    settings.rateLimitFallback = .local
    let limits = RateLimiting(settings: settings, shared: RedisRateLimiter(client: redis))
    try await withKeyedApp(apiKeys: EmptyAPIKeyStore(), rateLimiting: limits, body)
}

/// Sends `requests` conversions and expects each answered 200, whatever Redis does meanwhile.
func expectConversionsServed(_ http: any TestClientProtocol, requests: Int) async throws {
    for _ in 0..<requests {
        try await http.execute(uri: "/v1/convert?from=EUR&to=USD&amount=1", method: .get) { response in
            #expect(response.status == .ok)
        }
    }
}
