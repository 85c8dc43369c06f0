import FXAPIKeys
import FXCore
import FXServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import FXTestSupport

@Suite("API keys against PostgreSQL", .enabled(if: TestDatabase.isConfigured))
struct APIKeyAuthenticationTests {
    @Test func createdKeyWorksInBothHeadersUntilRevoked() async throws {
        try await TestPostgres.withDatabase { client, _ async throws in
            let store = PostgresAPIKeyStore(client: client)
            let created = try await store.create(tenant: "acme", limits: try LimitPolicy(parsing: "600/minute"))
            let key = created.key.text
            var caching = APIKeyCache.Policy()
            caching.positiveTTL = .zero
            caching.staleTTL = .zero
            let logs = CapturedLogs()
            try await withKeyedApp(apiKeys: store, caching: caching, logs: logs) { client in
                let (bearerStatus, _, _) = try await client.getJSON("/v1/currencies", headers: .bearer(key))
                #expect(bearerStatus == .ok)
                let (headerStatus, _, _) = try await client.getJSON("/v1/currencies", headers: [.apiKey: key])
                #expect(headerStatus == .ok)

                _ = try await store.revoke(id: created.id)
                let (status, headers, body) = try await client.getJSON("/v1/currencies", headers: .bearer(key))
                #expect(status == .unauthorized)
                #expect(headers[.wwwAuthenticate] == "Bearer")
                #expect(headers[.contentType] == "application/problem+json")
                #expect(body["status"] as? Int == 401)
                #expect(body["title"] as? String == "Unauthorized")
                #expect(body["detail"] as? String == "The API key is unknown, revoked or expired")
            }
            let requestLines = logs.all.filter { $0.message == "request" }
            #expect(requestLines.map { $0.metadata["tenant"]?.description } == ["acme", "acme", "anonymous"])
            for entry in logs.all {
                #expect(!"\(entry.message) \(entry.metadata)".contains(key))
            }
        }
    }

    @Test func identityCarriesTenantKeyIDAndLimits() async throws {
        try await TestPostgres.withDatabase { client, _ async throws in
            let store = PostgresAPIKeyStore(client: client)
            let limits = try LimitPolicy(parsing: "600/minute;100000/day")
            let created = try await store.create(tenant: "acme", limits: limits)
            let plain = try await store.create(tenant: "beta", limits: nil)
            #expect(try await store.identity(for: created.key.hash)
                == APIKeyIdentity(keyID: created.id, tenant: "acme", limits: limits))
            #expect(try await store.identity(for: plain.key.hash)
                == APIKeyIdentity(keyID: plain.id, tenant: "beta", limits: nil))
            #expect(try await store.identity(for: APIKey.generate().hash) == nil)
        }
    }

    @Test func unknownKeyIs401() async throws {
        try await TestPostgres.withDatabase { client, _ async throws in
            let store = CountingKeyStore(PostgresAPIKeyStore(client: client))
            try await withKeyedApp(apiKeys: store) { client in
                let (status, headers, _) = try await client.getJSON(
                    "/v1/convert?from=EUR&to=USD&amount=1", headers: [.apiKey: APIKey.generate().text])
                #expect(status == .unauthorized)
                #expect(headers[.wwwAuthenticate] == "Bearer")
            }
            #expect(store.lookups == 1)
        }
    }

    @Test func malformedKeysAreRejectedWithoutALookup() async throws {
        try await TestPostgres.withDatabase { client, _ async throws in
            let store = CountingKeyStore(PostgresAPIKeyStore(client: client))
            let valid = APIKey.generate().text
            let malformed = ["fx_short", String(valid.dropLast()), "xx_" + valid.dropFirst(3), valid + "A",
                             String(valid.dropLast()) + "=", String(valid.dropLast()) + "+"]
            try await withKeyedApp(apiKeys: store) { client in
                for key in malformed {
                    let (status, _, body) = try await client.getJSON("/v1/currencies", headers: .bearer(key))
                    #expect(status == .unauthorized)
                    #expect((body["detail"] as? String)?.hasPrefix("The API key is malformed") == true)
                }
            }
            #expect(store.lookups == 0)
        }
    }

    @Test func aThousandRequestsWithOneUnknownKeyCostOneLookup() async throws {
        try await TestPostgres.withDatabase { client, _ async throws in
            let store = CountingKeyStore(PostgresAPIKeyStore(client: client))
            var caching = APIKeyCache.Policy()
            caching.negativeTTL = .seconds(3600)
            let key = APIKey.generate().text
            // A refused key is limited like an anonymous caller; this test is about lookups, not limits.
            var settings = Settings()
            settings.anonymousLimits = try LimitPolicy(parsing: "100000/minute")
            try await withKeyedApp(apiKeys: store, caching: caching, testing: .router,
                                   rateLimiting: RateLimiting(settings: settings)) { client in
                for _ in 0..<1000 {
                    try await client.execute(uri: "/v1/currencies", method: .get, headers: [.apiKey: key]) {
                        #expect($0.status == .unauthorized)
                    }
                }
            }
            #expect(store.lookups == 1)
        }
    }

    @Test func requiredKeyRefusesAnonymousButAcceptsAValidKey() async throws {
        try await TestPostgres.withDatabase { client, _ async throws in
            let store = PostgresAPIKeyStore(client: client)
            let key = try await store.create(tenant: "acme", limits: nil).key.text
            try await withKeyedApp(apiKeys: store, requireAPIKey: true) { client in
                let (anonymous, headers, body) = try await client.getJSON("/v1/rates")
                #expect(anonymous == .unauthorized)
                #expect(headers[.wwwAuthenticate] == "Bearer")
                #expect((body["detail"] as? String)?.hasPrefix("An API key is required") == true)
                let (keyed, _, _) = try await client.getJSON("/v1/rates", headers: [.apiKey: key])
                #expect(keyed == .ok)
            }
        }
    }
}
