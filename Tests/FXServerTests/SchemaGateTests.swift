import FXCore
import FXLifecycle
import FXPostgres
import FXServer
import FXStorage
import Testing
import FXTestSupport
import FXSupport

/// The rollout order on Kubernetes: new pods may start before the migration Job has run, and an old pod may
/// restart after it has. Neither may crash-loop: the first waits unready, the second serves.
@Suite("serve and the schema it finds", .enabled(if: TestDatabase.isConfigured))
struct SchemaGateTests {
    @Test func anUnmigratedDatabaseIsRefusedWithoutTouchingIt() async throws {
        try await TestPostgres.withDatabase(migrated: false) { client, _ in
            let gate = SchemaGate(migrator: try Migrator(client: client, logger: TestDatabase.logger), autoMigrate: false)
            let error = await #expect(throws: SchemaNotCurrentError.self) { try await gate.prepare() }
            #expect(error?.status.pending == [1, 2, 3, 4, 5])
            #expect(error?.description.contains("fxrates migrate") == true)
            let tables = try await client.query("SELECT to_regclass('rates') IS NULL AS absent")
            #expect(try tables.first?.decode(Bool.self, column: "absent") == true)
        }
    }

    @Test func autoMigrationMigratesFirst() async throws {
        try await TestPostgres.withDatabase(migrated: false) { client, _ in
            let migrator = try Migrator(client: client, logger: TestDatabase.logger)
            try await SchemaGate(migrator: migrator, autoMigrate: true).prepare()
            #expect(try await migrator.status().isCurrent)
        }
    }

    @Test func aSchemaWithNewerVersionsIsServed() async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await client.query("INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')")
            let gate = SchemaGate(migrator: try Migrator(client: client, logger: TestDatabase.logger), autoMigrate: false)
            #expect(try await gate.prepare() == [9999])
        }
    }

    @Test func aReplicaStartedBeforeTheMigrationJobWaitsUnreadyThenServes() async throws {
        try await TestPostgres.withDatabase(migrated: false) { client, _ in
            let readiness = Readiness()
            let health = DependencyHealth([.postgres: false])
            try await withRefresher(client, readiness, health) { store async throws in
                try await withLiveApp(store: store, readiness: readiness) { http async throws in
                    // Waiting is a state, not a failure: PostgreSQL answered, so it is up; the pod is unready.
                    #expect(try await eventually { health.snapshot[.postgres] == true })
                    #expect(try await http.getJSON("/health").0 == .ok)
                    #expect(try await http.getJSON("/ready").0 == .serviceUnavailable)

                    _ = try await Migrator(client: client, logger: TestDatabase.logger).migrate()
                    _ = try await ECBImporter(client: client).importHistory(sampleECB, mode: .onlyMissing)
                    #expect(try await eventually { try await http.getJSON("/ready").0 == .ok })
                    let (status, _, rates) = try await http.getJSON("/v1/rates?symbols=USD")
                    #expect(status == .ok)
                    #expect(rates["rates"] as? [String: String] == ["USD": "1.1172"])
                }
            }
        }
    }

    @Test func anOlderReplicaServesASchemaThatANewerReleaseExpanded() async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            // What a newer release's expand migration looks like: only additions.
            _ = try await client.query("ALTER TABLE rates ADD COLUMN note text")
            _ = try await client.query("INSERT INTO schema_migrations (version, name) VALUES (9999, 'add_rates_note')")
            #expect(try await Migrator(client: client, logger: TestDatabase.logger).migrate().isEmpty)

            let readiness = Readiness()
            try await withRefresher(client, readiness, DependencyHealth()) { store async throws in
                try await withLiveApp(store: store, readiness: readiness) { http async throws in
                    #expect(try await eventually { try await http.getJSON("/ready").0 == .ok })
                    #expect(try await http.getJSON("/v1/convert?from=EUR&to=USD&amount=2").0 == .ok)
                }
            }
        }
    }

    @Test func migrateRefusesToRunAnOlderMigrationAfterNewerOnes() async throws {
        try await TestDatabase.withFreshDatabase { url async throws in
            try await withRunning(TestDatabase.makeClient(url: url)) { client async throws in
                let first = Migration(version: 1, name: "first", sql: "CREATE TABLE first (id int);")
                let third = Migration(version: 3, name: "third", sql: "CREATE TABLE third (id int);")
                _ = try await Migrator(client: client, migrations: [first, third], logger: TestDatabase.logger).migrate()
                let second = Migration(version: 2, name: "second", sql: "CREATE TABLE second (id int);")
                await #expect(throws: MigrationError.databaseIsNewer(unknownVersions: [3])) {
                    try await Migrator(client: client, migrations: [first, second], logger: TestDatabase.logger).migrate()
                }
            }
        }
    }

    /// Runs `body` while a `RatesRefreshService` with short pauses fills a store from `client`.
    private func withRefresher(
        _ client: PostgresClient, _ readiness: Readiness, _ health: DependencyHealth,
        _ body: (ReloadableRateStore) async throws -> Void
    ) async throws {
        let loader = RateHistoryLoader(client: client)
        let store = ReloadableRateStore(loader: loader)
        let fast = ReconnectBackoff(initialDelay: .milliseconds(10), maximumDelay: .milliseconds(100))
        let refresher = RatesRefreshService(
            gate: SchemaGate(migrator: try Migrator(client: client, logger: TestDatabase.logger), autoMigrate: false),
            loader: loader, store: store, readiness: readiness, health: health, logger: TestDatabase.logger,
            backoff: fast, schemaBackoff: fast)
        let refreshing = Task { try await refresher.run() }
        defer { refreshing.cancel() }
        try await body(store)
    }
}
