import FXPostgres
import FXStorage
import Testing
import FXTestSupport

/// `fxrates serve` runs `SchemaGate.prepare()` before it reads rates and exits when it throws.
@Suite("serve refuses a schema it does not know", .enabled(if: TestDatabase.isConfigured))
struct SchemaGateTests {
    @Test func anUnmigratedDatabaseIsRefused() async throws {
        try await TestPostgres.withDatabase(migrated: false) { client, _ in
            let gate = SchemaGate(migrator: try Migrator(client: client, logger: TestDatabase.logger), autoMigrate: false)
            let error = await #expect(throws: SchemaNotCurrentError.self) { try await gate.prepare() }
            #expect(error?.status.pending == [1])
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

    @Test func aSchemaFromANewerBuildIsRefused() async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await client.query("INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')")
            let gate = SchemaGate(migrator: try Migrator(client: client, logger: TestDatabase.logger), autoMigrate: false)
            let error = await #expect(throws: SchemaNotCurrentError.self) { try await gate.prepare() }
            #expect(error?.status.unknown == [9999])
        }
    }
}
