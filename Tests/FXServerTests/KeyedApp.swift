import FXCore
import FXServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging

/// Runs `body` against the application built with this key store, logging into `logs`.
func withKeyedApp(
    apiKeys: any APIKeyStore, requireAPIKey: Bool = false, caching: APIKeyCache.Policy = .init(),
    logs: CapturedLogs = CapturedLogs(), testing: TestingSetup = .live, rateLimiting: RateLimiting? = nil,
    _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    var environment = testEnvironment()
    environment.apiKeyStore = apiKeys
    environment.apiKeyCaching = caching
    var settings = Settings()
    settings.port = 0
    settings.requireAPIKey = requireAPIKey
    if let rateLimiting {
        settings.anonymousLimits = rateLimiting.anonymous
        settings.apiKeyDefaultLimits = rateLimiting.apiKeyDefault
        settings.trustedProxies = rateLimiting.trustedProxies
        settings.ipv6PrefixLength = rateLimiting.ipv6PrefixLength
        settings.rateLimitFallback = rateLimiting.fallback
        settings.expectedReplicas = rateLimiting.expectedReplicas
        environment.sharedLimiter = rateLimiting.shared
    }
    let app = try buildApplication(settings: settings, environment: environment, logger: logs.logger())
    try await app.test(testing) { client in try await body(client) }
}

extension HTTPField.Name {
    static let apiKey = Self("X-API-Key")!
}

extension HTTPFields {
    static func bearer(_ key: String) -> HTTPFields {
        [.authorization: "Bearer \(key)"]
    }
}
