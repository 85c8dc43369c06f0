import FXAPIKeys
import FXCore
import FXLifecycle
import FXPostgres
@testable import FXServer
import HTTPTypes
import HummingbirdTesting
import Testing
import FXTestSupport

@Suite("API keys: embedded default, probes, header forms and an unreachable database")
struct APIKeyEdgeTests {
    @Test func embeddedDefaultKnowsNoKeysAndServesAnonymously() async throws {
        let logs = CapturedLogs()
        try await withKeyedApp(apiKeys: EmptyAPIKeyStore(), logs: logs) { client in
            let (anonymous, _, _) = try await client.getJSON("/v1/currencies")
            #expect(anonymous == .ok)
            let (keyed, headers, _) = try await client.getJSON("/v1/currencies", headers: .bearer(APIKey.generate().text))
            #expect(keyed == .unauthorized)
            #expect(headers[.wwwAuthenticate] == "Bearer")
        }
        #expect(logs.all.filter { $0.message == "request" }.map { $0.metadata["tenant"]?.description }
            == ["anonymous", "anonymous"])
    }

    @Test(arguments: ["/health", "/ready", "/openapi.json"])
    func probesNeverNeedAKey(path: String) async throws {
        let store = CountingKeyStore(EmptyAPIKeyStore())
        try await withKeyedApp(apiKeys: store, requireAPIKey: true) { client in
            try await client.execute(uri: path, method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: path, method: .get, headers: .bearer(APIKey.generate().text)) {
                #expect($0.status == .ok)
            }
        }
        #expect(store.lookups == 0)
    }

    @Test func adminRoutesAreLeftToTheirOwnToken() async throws {
        try await withKeyedApp(apiKeys: EmptyAPIKeyStore(), requireAPIKey: true) { client in
            try await client.execute(uri: "/v1/admin/anything", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/currencies", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func pathsAreMatchedTheWayTheRouterSplitsThem() {
        func needsAPIKey(_ path: String) -> Bool { RoutePolicy.ofUnmatched(path: path).authentication == .apiKey }
        #expect(Endpoint.convert.policy.authentication == .apiKey)
        #expect(needsAPIKey("//v1//convert"))
        #expect(needsAPIKey("/v1/unknown"))
        #expect(!needsAPIKey("/v1/admin/import"))
        #expect(!needsAPIKey("//v1//admin/import"))
        #expect(Endpoint.health.policy.authentication == .none)
        #expect(!needsAPIKey("/v10/convert"))
    }

    @Test(arguments: [
        [HTTPField.Name.authorization: "Basic dXNlcjpwYXNz"],
        [.authorization: "Bearer"],
        [.authorization: "Bearer \(APIKey.generate().text)", .apiKey: APIKey.generate().text],
    ] as [HTTPFields])
    func unusableCredentialHeadersAre401WithoutALookup(headers: HTTPFields) async throws {
        let store = CountingKeyStore(EmptyAPIKeyStore())
        try await withKeyedApp(apiKeys: store) { client in
            try await client.execute(uri: "/v1/currencies", method: .get, headers: headers) {
                #expect($0.status == .unauthorized)
                #expect($0.headers[.wwwAuthenticate] == "Bearer")
            }
        }
        #expect(store.lookups == 0)
    }

    @Test func bearerSchemeIsCaseInsensitive() async throws {
        let store = CountingKeyStore(EmptyAPIKeyStore())
        try await withKeyedApp(apiKeys: store) { client in
            try await client.execute(uri: "/v1/currencies", method: .get,
                                     headers: [.authorization: "bearer \(APIKey.generate().text)"]) {
                #expect($0.status == .unauthorized)
            }
        }
        #expect(store.lookups == 1)
    }

    @Test func unreachableDatabaseIs503NotAHang() async throws {
        var configuration = PostgresClientConfiguration(connectionString: "postgresql://postgres@127.0.0.1:1/none")
        configuration.connectTimeoutSeconds = 1
        let client = PostgresClient(configuration: configuration, logger: TestDatabase.logger)
        let logs = CapturedLogs()
        try await withRunning(client) { database in
            try await withKeyedApp(apiKeys: PostgresAPIKeyStore(client: database), logs: logs) { client in
                let (status, headers, body) = try await client.getJSON("/v1/currencies", headers: .bearer(APIKey.generate().text))
                #expect(status == .serviceUnavailable)
                #expect(headers[.contentType] == "application/problem+json")
                #expect(body["status"] as? Int == 503)
                let (anonymous, _, _) = try await client.getJSON("/v1/currencies")
                #expect(anonymous == .ok)
            }
        }
        #expect(logs.all.contains { $0.message == "request failed" && $0.metadata["error"]?.description.contains("PostgresError") == true })
    }
}
