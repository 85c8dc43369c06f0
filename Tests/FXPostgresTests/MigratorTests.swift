@testable import FXPostgres
import Testing
import FXLifecycle
import FXTestSupport

@Suite("Migration files")
struct MigrationFileTests {
    @Test func bundledMigrationsLoadFromResources() throws {
        let migrations = try Migration.bundled()
        #expect(migrations.map(\.version) == [1, 2, 3, 4, 5])
        #expect(migrations.first?.name == "initial")
        #expect(migrations.first?.sql.contains("CREATE TABLE rates") == true)
    }

    @Test func duplicateVersionsAreRejected() {
        let migration = Migration(version: 1, name: "a", sql: "SELECT 1;")
        #expect(throws: MigrationError.duplicateVersion(1)) { try Migration.validated([migration, migration]) }
    }
}

@Suite("Migrations", .enabled(if: TestDatabase.isConfigured))
struct MigratorTests {
    @Test func migrateTwiceIsNoOp() async throws {
        try await TestDatabase.withFreshDatabase { url async throws in
            try await withRunning(TestDatabase.makeClient(url: url)) { client async throws in
                let migrator = try Migrator(client: client, logger: TestDatabase.logger)
                #expect(try await migrator.status() == MigrationStatus(applied: [], known: [1, 2, 3, 4, 5]))

                #expect(try await migrator.migrate().map(\.version) == [1, 2, 3, 4, 5])
                #expect(try await migrator.migrate().isEmpty)

                let status = try await migrator.status()
                #expect(status.isCurrent)
                let tables = try await client.query(
                    "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")
                #expect(try tables.map { try $0.decode(String.self, column: "name") }
                    == ["api_keys", "audit_log", "currencies", "ecb_feed_validators", "rates", "rates_version", "schema_migrations"])
                let recorded = try await client.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
                #expect(try recorded.map { try $0.decode(String.self, column: "name") } == ["initial", "rates_version", "api_key_expiry_and_last_use", "snapshot_digest", "ecb_feed_validators"])
            }
        }
    }

    @Test func concurrentMigratorsApplyExactlyOnce() async throws {
        try await TestDatabase.withFreshDatabase { url async throws in
            let appliedCounts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await withRunning(TestDatabase.makeClient(url: url) { $0.maximumConnections = 1 }) { client in
                            try await Migrator(client: client, logger: TestDatabase.logger).migrate().count
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(appliedCounts.sorted() == [0, 0, 0, 5])
        }
    }

    @Test func schemaChecksDetectOlderAndNewerDatabases() async throws {
        try await TestDatabase.withFreshDatabase { url async throws in
            try await withRunning(TestDatabase.makeClient(url: url)) { client async throws in
                let first = Migration(version: 1, name: "first", sql: "CREATE TABLE first (id int);")
                let second = Migration(version: 2, name: "second", sql: "CREATE TABLE second (id int); CREATE TABLE third (id int);")
                _ = try await Migrator(client: client, migrations: [first], logger: TestDatabase.logger).migrate()

                let newerBuild = try Migrator(client: client, migrations: [second, first], logger: TestDatabase.logger)
                #expect(try await newerBuild.status().pending == [2])
                #expect(try await newerBuild.migrate().map(\.version) == [2])

                // Expand-then-contract: an older build has nothing to apply to a schema a newer one expanded.
                let olderBuild = try Migrator(client: client, migrations: [first], logger: TestDatabase.logger)
                #expect(try await olderBuild.status().unknown == [2])
                #expect(try await olderBuild.status().isServable)
                #expect(try await olderBuild.migrate().isEmpty)
            }
        }
    }

    @Test func failingMigrationLeavesNothingBehind() async throws {
        try await TestDatabase.withFreshDatabase { url async throws in
            try await withRunning(TestDatabase.makeClient(url: url)) { client async throws in
                let broken = Migration(version: 1, name: "broken", sql: "CREATE TABLE half (id int); SELECT no_such_function();")
                await #expect(throws: PostgresError.self) {
                    try await Migrator(client: client, migrations: [broken], logger: TestDatabase.logger).migrate()
                }
                let leftovers = try await client.query("SELECT to_regclass('half') IS NULL AND to_regclass('schema_migrations') IS NULL AS clean")
                #expect(try leftovers[0].decode(Bool.self, column: "clean"))
            }
        }
    }
}
