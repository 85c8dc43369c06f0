import FXAPIKeys
import FXCore
import FXServer
import FXStorage
import FXTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// `buildApplication` from settings alone, as `fxrates serve` calls it, in each of its three modes.
@Suite("The application as the settings wire it")
struct WiringTests {
    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    private static func settings(database: String? = nil, redis: String? = nil) -> Settings {
        var settings = Settings()
        settings.port = 0
        settings.databaseURL = database
        settings.redisURL = redis
        // These tests check what Redis shares, not its timeout: under the parallel suite on 2 cores a 50 ms
        // call can time out, and the fallback's local decision then admits a request Redis would refuse.
        settings.redisTimeout = .seconds(2)
        settings.adminTokens = database == nil ? [] : [adminToken]
        return settings
    }

    private static func environment() -> ApplicationEnvironment {
        var environment = ApplicationEnvironment()
        environment.today = { testToday }
        return environment
    }

    private static func withApp(
        _ settings: Settings, _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let app = try buildApplication(settings: settings, environment: environment(), logger: quiet)
        try await app.test(.live) { http in
            let ready = try await eventually { try await http.getJSON("/ready").0 == .ok }
            #expect(ready, "the replica becomes ready")
            try await body(http)
        }
    }

    @Test func embeddedServesTheBundledHistoryWithoutKeysOrAdmin() async throws {
        try await Self.withApp(Self.settings()) { http in
            let (status, headers, body) = try await http.getJSON("/v1/convert?from=EUR&to=USD&amount=100&date=2026-10-30")
            #expect(status == .ok)
            #expect(body["date"] as? String == "2026-10-30")
            #expect(headers[HTTPField.Name("RateLimit-Policy")!] == #""minute";q=600;w=60, "day";q=100000;w=86400"#)
            #expect(try await http.getJSON("/v1/currencies", headers: [.apiKey: APIKey.generate().text]).0 == .unauthorized)
            #expect(try await http.putRates("2026-11-27", "{}").0 == .notFound)
        }
    }

    @Test(.enabled(if: TestDatabase.isConfigured))
    func postgreSQLServesItsRatesKeysAndAdminWrites() async throws {
        try await TestPostgres.withDatabase { client, name in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let key = try await PostgresAPIKeyStore(client: client)
                .create(tenant: "acme", limits: try LimitPolicy(parsing: "7/minute"))
            try await Self.withApp(Self.settings(database: TestPostgres.url(ofDatabase: name))) { http in
                let (status, headers, body) = try await http.getJSON(
                    "/v1/convert?from=EUR&to=USD&amount=100", headers: [.apiKey: key.key.text])
                #expect(status == .ok)
                #expect(body["result"] as? String == "111.72")
                #expect(headers[HTTPField.Name("RateLimit-Policy")!] == #""minute";q=7;w=60"#)

                let (written, _, _) = try await http.putRates(
                    "2026-11-27", #"{"base":"EUR","source":"ECB","rates":{"USD":"1.2000"}}"#)
                #expect(written == .ok)
                #expect(try await http.getJSON("/v1/convert?from=EUR&to=USD&amount=100").2["result"] as? String == "120.00")
            }
        }
    }

    @Test(.enabled(if: TestDatabase.isConfigured && FileManager.default.fileExists(atPath: "/usr/bin/redis-server")))
    func postgreSQLAndRedisShareLimitsAndWritesAcrossReplicas() async throws {
        let redis = try await RedisServerProcess()
        defer { redis.destroy() }
        try await TestPostgres.withDatabase { client, name in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let key = try await PostgresAPIKeyStore(client: client)
                .create(tenant: "acme", limits: try LimitPolicy(parsing: "4/minute"))
            let settings = Self.settings(database: TestPostgres.url(ofDatabase: name), redis: redis.url)
            try await Self.withApp(settings) { a in
                try await Self.withApp(settings) { b in
                    // One quota across both replicas: two requests on each use the key's up.
                    for http in [a, b, a, b] {
                        #expect(try await http.getJSON("/v1/currencies", headers: [.apiKey: key.key.text]).0 == .ok)
                    }
                    #expect(try await b.getJSON("/v1/currencies", headers: [.apiKey: key.key.text]).0 == .tooManyRequests)

                    // A write on A reaches B through the invalidation, not B's periodic refresh (30 s).
                    #expect(try await a.putRates("2026-11-27", #"{"base":"EUR","source":"ECB","rates":{"USD":"1.2000"}}"#).0 == .ok)
                    let seen = try await eventually {
                        let (_, _, body) = try await b.getJSON("/v1/rates/history?start=2026-11-27&end=2026-11-27&symbols=USD")
                        return body["rates"] as? [String: [String: String]] == ["2026-11-27": ["USD": "1.2"]]
                    }
                    #expect(seen)
                }
            }
        }
    }
}
