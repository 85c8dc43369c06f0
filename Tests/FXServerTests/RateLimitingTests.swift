import FXAPIKeys
import FXCore
import FXLifecycle
import FXRedis
import FXServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
import FXTestSupport
#endif

@Suite("Rate limits over HTTP")
struct RateLimitingTests {
    static let redisURL = ProcessInfo.processInfo.environment["FX_TEST_REDIS_URL"]

    private func limits(anonymous: String, shared: (any RateLimiter)? = nil) throws -> RateLimiting {
        var settings = Settings()
        settings.anonymousLimits = try LimitPolicy(parsing: anonymous)
        return RateLimiting(settings: settings, shared: shared)
    }

    @Test func anonymousClientsGetTheirQuotaThen429WithHeaders() async throws {
        try await withKeyedApp(apiKeys: EmptyAPIKeyStore(), rateLimiting: try limits(anonymous: "3/minute;100/day")) { client in
            for _ in 0..<3 {
                let (status, headers, _) = try await client.getJSON("/v1/convert?from=EUR&to=USD&amount=1")
                #expect(status == .ok)
                #expect(headers[HTTPField.Name("RateLimit-Policy")!] == #""minute";q=3;w=60, "day";q=100;w=86400"#)
                #expect(headers[HTTPField.Name("RateLimit")!]?.hasPrefix(#""minute";r="#) == true)
            }
            let (status, headers, body) = try await client.getJSON("/v1/convert?from=EUR&to=USD&amount=1")
            #expect(status == .tooManyRequests)
            #expect(headers[.contentType] == "application/problem+json")
            #expect(Int(headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(headers[HTTPField.Name("RateLimit")!]?.hasPrefix(#""minute";r=0;t="#) == true)
            #expect(body["status"] as? Int == 429)

            // Probes are never limited; errors of /v1 still carry the headers.
            let (health, _, _) = try await client.getJSON("/health")
            #expect(health == .ok)
            let (missing, missingHeaders, _) = try await client.getJSON("/v1/nothing-here")
            #expect(missing == .tooManyRequests)
            #expect(missingHeaders[HTTPField.Name("RateLimit-Policy")!] != nil)
        }
    }

    @Test func validationErrorsCarryTheHeadersToo() async throws {
        try await withKeyedApp(apiKeys: EmptyAPIKeyStore(), rateLimiting: try limits(anonymous: "10/minute")) { client in
            let (status, headers, _) = try await client.getJSON("/v1/convert?from=EUR")
            #expect(status == .unprocessableContent)
            #expect(headers[HTTPField.Name("RateLimit")!]?.hasPrefix(#""minute";r=9;t="#) == true)
        }
    }

    @Test(.enabled(if: TestDatabase.isConfigured && redisURL != nil))
    func exactlyTheKeysQuotaAcrossThreeReplicas() async throws {
        try await TestPostgres.withDatabase { database, _ async throws in
            let keys = PostgresAPIKeyStore(client: database)
            let key = try await keys.create(tenant: "exact", limits: try LimitPolicy(parsing: "100/hour")).key.text
            var configuration = try RedisConfiguration(url: try #require(Self.redisURL))
            configuration.commandTimeout = .seconds(30)
            try await withRunning(RedisClient(configuration: configuration, logger: TestDatabase.logger)) { redis in
                try await redis.waitUntilConnected(timeout: .seconds(30))
                let shared = try limits(anonymous: "1000/minute", shared: RedisRateLimiter(client: redis, keyPrefix: "fx:test:\(UUID().uuidString):"))
                try await withKeyedApp(apiKeys: keys, rateLimiting: shared) { a in
                    try await withKeyedApp(apiKeys: keys, rateLimiting: shared) { b in
                        try await withKeyedApp(apiKeys: keys, rateLimiting: shared) { c in
                            let ports = [a, b, c].compactMap(\.port)
                            #expect(ports.count == 3)
                            let statuses = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                                for request in 0..<300 {
                                    group.addTask { try await Self.get(port: ports[request % 3], key: key) }
                                }
                                return try await group.reduce(into: [(Int, Bool)]()) { $0.append($1) }
                            }
                            #expect(statuses.filter { $0.0 == 200 }.count == 100)
                            #expect(statuses.filter { $0.0 == 429 }.count == 200)
                            #expect(statuses.allSatisfy { $0.1 }, "every response carries valid rate-limit headers")
                        }
                    }
                }
            }
        }
    }

    /// One request on its own connection, as separate clients would send it; the status and whether the
    /// rate-limit headers are there and well formed (with `Retry-After` on a 429).
    private static func get(port: Int, key: String) async throws -> (Int, Bool) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/convert?from=EUR&to=USD&amount=1")!)
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        let policy = http.value(forHTTPHeaderField: "RateLimit-Policy") == #""hour";q=100;w=3600"#
        let state = http.value(forHTTPHeaderField: "RateLimit")?.hasPrefix(#""hour";r="#) == true
        let retry = http.statusCode != 429 || Int(http.value(forHTTPHeaderField: "Retry-After") ?? "").map { $0 >= 1 } == true
        return (http.statusCode, policy && state && retry)
    }
}
