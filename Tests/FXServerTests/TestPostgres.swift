import FXCore
import FXLifecycle
import FXPostgres
import FXServer
import FXStorage
import FXTestSupport
import Foundation
import Logging
import Testing

/// Databases for the server tests, on the server `TestDatabase` reaches.
enum TestPostgres {
    /// Runs `body` with a client on a fresh database of its own (migrated unless `migrated` is false),
    /// dropped afterwards, so tests run in parallel without seeing each other's rows.
    static func withDatabase<T>(
        migrated: Bool = true, _ body: (_ client: PostgresClient, _ name: String) async throws -> T
    ) async throws -> T {
        try await TestDatabase.withFreshDatabase { url in
            let client = TestDatabase.makeClient(url: url) {
                $0.reconnectBackoff = .init(initialDelay: .milliseconds(10), maximumDelay: .milliseconds(100))
            }
            return try await withRunning(client) { client in
                if migrated { _ = try await Migrator(client: client, logger: TestDatabase.logger).migrate() }
                return try await body(client, String(URLComponents(string: url)!.path.dropFirst()))
            }
        }
    }

    /// A client on the server's maintenance database, for statements about other databases.
    static func withAdminClient<T>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        try await withRunning(TestDatabase.makeClient(), body)
    }

    /// The URL of the database `withDatabase` named `name`, for settings' `DATABASE_URL`.
    static func url(ofDatabase name: String) -> String {
        var components = URLComponents(string: TestDatabase.url ?? "")
        components?.path = "/" + name
        return components?.string ?? ""
    }

    static func count(_ client: PostgresClient, _ sql: String) async throws -> Int {
        try await client.query(sql).first!.decode(Int.self, column: "count")
    }
}

/// A small ECB history ending the day before the tests' "today".
let sampleECB = Data("""
    Date,USD,JPY,GBP,
    2026-11-27,1.1172,175.68,0.8765,
    2026-11-26,1.1100,170.00,0.8700,
    2026-11-25,1.1050,N/A,0.8650,

    """.utf8)

let adminToken = "test-admin-token-0123456789"

/// A store over `client` loaded with whatever the database holds, and admin access to it.
func loadedStore(_ client: PostgresClient) async throws -> (ReloadableRateStore, AdminAccess) {
    let store = ReloadableRateStore(loader: RateHistoryLoader(client: client))
    try await store.reload()
    let admin = AdminAccess(service: AdminRatesService(writer: RatesWriter(client: client), store: store), token: adminToken)
    return (store, admin)
}
