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
    let readiness = Readiness()
    readiness.markRatesLoaded()
    var dependencies = AppDependencies(
        store: bundledStore, readiness: readiness, today: { testToday },
        apiKeys: APIKeyCache(store: apiKeys, policy: caching), requireAPIKey: requireAPIKey)
    if let rateLimiting { dependencies.rateLimiting = rateLimiting }
    var settings = Settings()
    settings.port = 0
    let app = try buildApplication(settings: settings, dependencies: dependencies, logger: logs.logger())
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
