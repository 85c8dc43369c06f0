import FXCore
import FXLifecycle
import FXPostgres
import FXServer
import FXStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import FXTestSupport

/// PostgreSQL goes away mid-run: its database stops accepting connections and every session is
/// terminated, then it comes back. Each test blocks only its own database.
@Suite("PostgreSQL down and back", .enabled(if: TestDatabase.isConfigured))
struct DatabaseOutageTests {
    static func block(_ database: String) async throws {
        try await TestPostgres.withAdminClient { admin in
            _ = try await admin.query("ALTER DATABASE \(database) ALLOW_CONNECTIONS false")
            _ = try await admin.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [.text(database)])
        }
    }

    static func unblock(_ database: String) async throws {
        try await TestPostgres.withAdminClient { admin in
            _ = try await admin.query("ALTER DATABASE \(database) ALLOW_CONNECTIONS true")
        }
    }

    @Test func readsGoOnFromMemoryAndWritesFailFastThenRecover() async throws {
        try await TestPostgres.withDatabase { client, database in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let (store, admin) = try await loadedStore(client)
            try await withLiveApp(store: store, admin: admin) { http in
                try await Self.block(database)
                let (readStatus, _, rates) = try await http.getJSON("/v1/rates?symbols=USD")
                #expect(readStatus == .ok)
                #expect(rates["rates"] as? [String: String] == ["USD": "1.1172"])
                let (convertStatus, _, _) = try await http.getJSON("/v1/convert?from=EUR&to=USD&amount=1")
                #expect(convertStatus == .ok)

                let body = #"{"source":"ECB","rates":{"USD":"1.2345"}}"#
                let (writeStatus, headers, problem) = try await http.putRates("2026-11-27", body)
                #expect(writeStatus == .serviceUnavailable)
                #expect(headers[.contentType] == "application/problem+json")
                #expect(problem["status"] as? Int == 503)

                try await Self.unblock(database)
                let recovered = try await eventually { try await http.putRates("2026-11-27", body).0 == .ok }
                #expect(recovered)
                let (_, _, after) = try await http.getJSON("/v1/rates?symbols=USD")
                #expect(after["rates"] as? [String: String] == ["USD": "1.2345"])
            }
        }
    }

    @Test func aReplicaStartedWhileTheDatabaseIsDownBecomesReadyWhenItComesBack() async throws {
        try await TestPostgres.withDatabase { client, database in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            try await Self.block(database)
            let store = ReloadableRateStore(loader: RateHistoryLoader(client: client))
            let readiness = Readiness()
            let refresher = RatesRefreshService(
                gate: SchemaGate(migrator: try Migrator(client: client, logger: TestDatabase.logger), autoMigrate: false),
                loader: RateHistoryLoader(client: client), store: store, readiness: readiness,
                logger: TestDatabase.logger, backoff: .init(initialDelay: .milliseconds(10), maximumDelay: .milliseconds(100)))
            let refreshing = Task { try await refresher.run() }
            defer { refreshing.cancel() }

            try await withLiveApp(store: store, readiness: readiness) { http in
                #expect(try await http.getJSON("/health").0 == .ok)
                #expect(try await http.getJSON("/ready").0 == .serviceUnavailable)
                let (status, _, problem) = try await http.getJSON("/v1/rates")
                #expect(status == .serviceUnavailable)
                #expect(problem["status"] as? Int == 503)

                try await Self.unblock(database)
                #expect(try await eventually { try await http.getJSON("/ready").0 == .ok })
                let (after, _, rates) = try await http.getJSON("/v1/rates?symbols=USD")
                #expect(after == .ok)
                #expect(rates["rates"] as? [String: String] == ["USD": "1.1172"])
            }
            refreshing.cancel()
            _ = await refreshing.result
        }
    }

    /// The pool retries on every query during an outage; the outage and the recovery are each one line,
    /// the attempts between them only at debug.
    @Test func anOutageIsLoggedOnceNotOncePerConnectionAttempt() async throws {
        try await TestPostgres.withDatabase { _, database in
            let logs = CapturedLogs()
            let client = PostgresClient(configuration: {
                var configuration = PostgresClientConfiguration(connectionString: TestPostgres.url(ofDatabase: database))
                configuration.maximumConnections = 2
                configuration.reconnectBackoff = .init(initialDelay: .milliseconds(1), maximumDelay: .milliseconds(5))
                return configuration
            }(), logger: logs.logger())
            try await withRunning(client) { client in
                _ = try await client.query("SELECT 1")
                try await Self.block(database)
                let failedAttempts = { logs.all.filter { $0.message.hasPrefix("PostgreSQL") && $0.metadata["consecutive_failures"] != nil } }
                let retriedManyTimes = try await eventually {
                    _ = try? await client.query("SELECT 1")
                    return failedAttempts().count >= 12
                }
                #expect(retriedManyTimes)
                #expect(failedAttempts().count >= 12)
                let loud = logs.all.filter { $0.level >= .warning }
                #expect(loud.map(\.message) == ["PostgreSQL unavailable; retrying in the background"])

                try await Self.unblock(database)
                #expect(try await eventually { (try? await client.query("SELECT 1")) != nil })
                #expect(logs.all.filter { $0.message == "PostgreSQL connection re-established" }.count == 1)
                #expect(logs.all.filter { $0.level >= .warning }.count == 1)
            }
        }
    }
}
