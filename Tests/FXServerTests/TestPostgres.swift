import FXPostgres
import FXServer
import FXStorage
import Foundation
import Logging
import Testing

/// The PostgreSQL server `scripts/run-swift-tests.sh` starts; tests that need it are skipped without it.
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["FX_TEST_DATABASE_URL"]
    static var isConfigured: Bool { url != nil }

    static let logger: Logger = {
        var logger = Logger(label: "fxrates.server.tests")
        logger.logLevel = .critical
        return logger
    }()

    static func makeClient(_ url: String, configure: (inout PostgresClientConfiguration) -> Void = { _ in })
        -> PostgresClient
    {
        var configuration = PostgresClientConfiguration(connectionString: url)
        configuration.maximumConnections = 4
        // The suite shares two cores with PostgreSQL: tests about results get patient timeouts, so a busy
        // machine does not fail them; tests about timeouts set their own.
        configuration.connectionAcquireTimeout = .seconds(60)
        configuration.statementTimeout = .seconds(60)
        configuration.queryTimeout = .seconds(65)
        configure(&configuration)
        return PostgresClient(configuration: configuration, logger: logger)
    }

    /// Runs `body` with a client on a fresh database of its own (migrated unless `migrated` is false),
    /// dropped afterwards, so tests run in parallel without seeing each other's rows.
    static func withDatabase<T>(
        migrated: Bool = true, _ body: (_ client: PostgresClient, _ name: String) async throws -> T
    ) async throws -> T {
        let admin = makeClient(url!)
        let name = "fxserver_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        _ = try await admin.query("CREATE DATABASE \(name)")
        var components = URLComponents(string: url!)!
        components.path = "/" + name
        let client = makeClient(components.string!) { $0.reconnectBackoff = .init(initialDelay: .milliseconds(10), maximumDelay: .milliseconds(100)) }
        do {
            if migrated { _ = try await Migrator(client: client, logger: logger).migrate() }
            let result = try await body(client, name)
            await client.shutdown()
            _ = try await admin.query("DROP DATABASE \(name) WITH (FORCE)")
            await admin.shutdown()
            return result
        } catch {
            await client.shutdown()
            _ = try? await admin.query("DROP DATABASE \(name) WITH (FORCE)")
            await admin.shutdown()
            throw error
        }
    }

    /// A client on the server's maintenance database, for statements about other databases.
    static func withAdminClient<T>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        let admin = makeClient(url!)
        do {
            let result = try await body(admin)
            await admin.shutdown()
            return result
        } catch {
            await admin.shutdown()
            throw error
        }
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
func loadedStore(_ client: PostgresClient) async throws -> (PostgresRateStore, AdminAccess) {
    let store = PostgresRateStore(loader: RateHistoryLoader(client: client))
    try await store.reload()
    let admin = AdminAccess(service: AdminRatesService(writer: RatesWriter(client: client), store: store), token: adminToken)
    return (store, admin)
}
