import FXPostgres
import FXStorage
import Synchronization
import Testing
import FXTestSupport

@Suite("libpq never blocks an event loop", .enabled(if: TestDatabase.isConfigured))
struct SlowQueryTests {
    @Test func requestsNeedingNoDatabaseAnswerWhileASlowQueryRuns() async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let (store, admin) = try await loadedStore(client)
            try await withLiveApp(store: store, admin: admin) { http in
                let sleeping = SleepFlag()
                async let slow: Void = {
                    _ = try await client.query("SELECT pg_sleep(8)", timeout: .seconds(30))
                    sleeping.running.store(false, ordering: .sequentiallyConsistent)
                }()
                // Wait until the query is really running on the server, not merely queued.
                try await waitUntilSleeping(client)
                for path in ["/health", "/v1/convert?from=EUR&to=USD&amount=1", "/v1/rates?symbols=USD"] {
                    let (status, _, _) = try await http.getJSON(path)
                    #expect(status == .ok, "\(path)")
                }
                // Ordering, not wall-clock: every answer came while the slow query still ran.
                let stillSleeping = sleeping.running.load(ordering: .sequentiallyConsistent)
                #expect(stillSleeping)
                try await slow
            }
        }
    }

    private func waitUntilSleeping(_ client: PostgresClient) async throws {
        for _ in 0..<2000 {
            let rows = try await client.query(
                "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(8)' AND state = 'active'")
            if try rows[0].decode(Int.self, column: "n") > 0 { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("the slow query never started")
    }
}

private final class SleepFlag: Sendable {
    let running = Atomic(true)
}
