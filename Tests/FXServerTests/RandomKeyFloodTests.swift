import FXAPIKeys
import FXCore
import FXLifecycle
import FXPostgres
import FXRedis
import Foundation
import FXServer
import HTTPTypes
import HummingbirdTesting
import Testing
import FXTestSupport

/// A flood of random API keys from one address must not become a flood of PostgreSQL queries, and must
/// not cost a valid key its answers.
@Suite("A flood of random API keys", .enabled(if: TestDatabase.isConfigured))
struct RandomKeyFloodTests {
    @Test func twentyThousandRandomKeysFromOneAddressCostAFewHundredQueriesAtMost() async throws {
        try await TestPostgres.withDatabase { admin, name async throws in
            let valid = try await PostgresAPIKeyStore(client: admin).create(tenant: "acme", limits: nil).key.text
            // Generous limits, so that only what guards the key store can keep the queries down.
            var settings = Settings()
            settings.anonymousLimits = try LimitPolicy(parsing: "1000000/minute")
            settings.apiKeyDefaultLimits = try LimitPolicy(parsing: "1000000/minute")
            // This client's own transactions (migrations, the key) are reported now, not some seconds later.
            _ = try await admin.query("SELECT pg_stat_force_next_flush()")
            let before = try await committedTransactions(in: name)
            let keysClient = TestDatabase.makeClient(url: TestPostgres.url(ofDatabase: name))
            try await withRunning(keysClient) { keysClient in
                try await withKeyedApp(apiKeys: PostgresAPIKeyStore(client: keysClient), testing: .router,
                                       rateLimiting: RateLimiting(settings: settings)) { client in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for worker in 0..<16 {
                            group.addTask {
                                for request in 0..<1250 {
                                    try await client.execute(uri: "/v1/currencies", method: .get,
                                                             headers: [.apiKey: APIKey.generate().text]) {
                                        #expect($0.status != .ok)
                                        #expect($0.status != .serviceUnavailable)
                                    }
                                    if worker == 0, request.isMultiple(of: 25) {
                                        try await client.execute(uri: "/v1/currencies", method: .get,
                                                                 headers: .bearer(valid)) { #expect($0.status == .ok) }
                                    }
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                }
            }
            let queries = try await committedTransactions(in: name) - before
            print("random-key flood: \(queries) PostgreSQL transactions for 20000 random keys")
            #expect(queries <= 300)
        }
    }

    /// The unknown-key limit is shared through Redis: once one replica has used up an address's lookups, another
    /// asks its store once more (and learns of the denial), then refuses that address's uncached keys.
    @Test(.enabled(if: RateLimitingTests.redisURL != nil))
    func theUnknownKeyLimitIsSharedBetweenReplicas() async throws {
        var configuration = try RedisConfiguration(url: try #require(RateLimitingTests.redisURL))
        configuration.commandTimeout = .seconds(30)
        try await withRunning(RedisClient(configuration: configuration, logger: TestDatabase.logger)) { redis in
            try await redis.waitUntilConnected(timeout: .seconds(30))
            var settings = Settings()
            settings.anonymousLimits = try LimitPolicy(parsing: "1000000/minute")
            let shared = RateLimiting(
                settings: settings, shared: RedisRateLimiter(client: redis, keyPrefix: "fx:test:\(UUID().uuidString):"))
            let first = CountingKeyStore(EmptyAPIKeyStore())
            let second = CountingKeyStore(EmptyAPIKeyStore())
            try await withKeyedApp(apiKeys: first, testing: .router, rateLimiting: shared) { a in
                try await withKeyedApp(apiKeys: second, testing: .router, rateLimiting: shared) { b in
                    var refused = false
                    for _ in 0..<200 where !refused {
                        try await a.execute(uri: "/v1/currencies", method: .get, headers: [.apiKey: APIKey.generate().text]) {
                            refused = $0.status == .tooManyRequests
                        }
                    }
                    #expect(refused)
                    #expect(first.lookups == 61, "60 a minute, and the one that learned of the denial")
                    for _ in 0..<10 {
                        try await b.execute(uri: "/v1/currencies", method: .get, headers: [.apiKey: APIKey.generate().text]) {
                            #expect($0.status != .ok)
                        }
                    }
                    #expect(second.lookups == 1)
                }
            }
        }
    }

    /// `xact_commit` of `database` once no backend but the one reading is connected to it, so that every count
    /// is flushed. Read from the maintenance database, so that the reading itself is not counted.
    private func committedTransactions(in database: String) async throws -> Int {
        try await TestPostgres.withAdminClient { client in
            for _ in 0..<5000 {
                let connected = try await client.query(
                    "SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = $1", [.text(database)])
                if try connected[0].decode(Int.self, column: "count") <= 1 { break }
                try await Task.sleep(for: .milliseconds(2))
            }
            let rows = try await client.query(
                "SELECT xact_commit::bigint AS count FROM pg_stat_database WHERE datname = $1", [.text(database)])
            return try rows[0].decode(Int.self, column: "count")
        }
    }
}
