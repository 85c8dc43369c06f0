import FXLifecycle
import FXPostgres
import Foundation
import Testing
import FXTestSupport

@Suite("Timeouts", .enabled(if: TestDatabase.isConfigured))
struct TimeoutTests {
    @Test func clientDeadlineCancelsStatementOnServer() async throws {
        let marker = "deadline-\(UUID().uuidString)"
        let client = TestDatabase.makeClient {
            $0.maximumConnections = 1
            $0.statementTimeout = .seconds(60)
        }
        try await withRunning(client) { client async throws in
            await #expect(throws: PostgresError.timeout) {
                try await client.query("SELECT pg_sleep(30) /* \(marker) */", timeout: .milliseconds(300))
            }
            // The only pooled connection works again, so the server really stopped sleeping.
            #expect(try await client.query("SELECT 1 AS one")[0].decode(Int.self, column: "one") == 1)
            let stillRunning = try await client.query(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()",
                [.text("%\(marker)%")]
            )
            #expect(try stillRunning[0].decode(Int.self, column: "n") == 0)
        }
    }

    @Test func clientDeadlineInsideTransactionRollsBack() async throws {
        try await TestDatabase.withFreshDatabase { url async throws in
            try await withRunning(TestDatabase.makeClient(url: url) { $0.maximumConnections = 1 }) { client async throws in
                _ = try await client.query("CREATE TABLE attempts (id int)")
                await #expect(throws: PostgresError.timeout) {
                    try await client.withTransaction { transaction async throws in
                        _ = try await transaction.query("INSERT INTO attempts VALUES (1)")
                        _ = try await transaction.query("SELECT pg_sleep(30)", timeout: .milliseconds(200))
                    }
                }
                let attempts = try await client.query("SELECT count(*) AS n FROM attempts")
                #expect(try attempts[0].decode(Int.self, column: "n") == 0)
            }
        }
    }

    @Test func statementTimeoutSurfacesAsTypedServerError() async throws {
        let client = TestDatabase.makeClient {
            $0.statementTimeout = .milliseconds(200)
            $0.queryTimeout = .seconds(30)
        }
        try await withRunning(client) { client async throws in
            let setting = try await client.query("SELECT current_setting('statement_timeout') AS value")
            #expect(try setting[0].decode(String.self, column: "value") == "200ms")
            let error = await #expect(throws: PostgresError.self) {
                try await client.query("SELECT pg_sleep(30)")
            }
            #expect(error?.sqlState == "57014")
            #expect(error?.message == "canceling statement due to statement timeout")
        }
    }
}
