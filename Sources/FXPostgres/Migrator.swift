import Logging

/// Applies versioned SQL migrations exactly once, safely across concurrent replicas.
///
/// All pending migrations run in one transaction that first takes a transaction-scoped
/// advisory lock, so a second replica waits, then finds nothing left to do.
public struct Migrator: Sendable {
    /// Arbitrary constant identifying the fxrates migration lock in `pg_locks`.
    static let advisoryLockKey: Int64 = 0x6678_7261_7465_7301

    private let client: PostgresClient
    private let migrations: [Migration]
    private let logger: Logger
    private let timeout: Duration

    /// - Parameter timeout: client-side deadline for each migration statement (and for waiting on the lock).
    public init(client: PostgresClient, migrations: [Migration], logger: Logger, timeout: Duration = .seconds(300)) throws {
        self.client = client
        self.migrations = try Migration.validated(migrations)
        self.logger = logger
        self.timeout = timeout
    }

    /// A migrator for the migrations bundled with this module.
    public init(client: PostgresClient, logger: Logger, timeout: Duration = .seconds(300)) throws {
        try self.init(client: client, migrations: Migration.bundled(), logger: logger, timeout: timeout)
    }

    /// Applies pending migrations and returns those applied by this call (empty if up to date).
    ///
    /// A database that a newer build migrated further is fine when it already has every version this build
    /// knows: migrations only add (expand-then-contract), so there is nothing to do.
    /// - Throws: ``MigrationError/databaseIsNewer(unknownVersions:)`` without changing anything when the
    ///   database has versions this build does not know *and* lacks some it does: applying an older migration
    ///   after newer ones could undo them.
    public func migrate() async throws -> [Migration] {
        try await migrateReportingStatus().applied
    }

    /// ``migrate()``, also handing back the status it checked, so a caller needs no second look at the schema.
    /// - Returns: the migrations this call applied, and the status found before applying them.
    public func migrateReportingStatus() async throws -> (applied: [Migration], status: MigrationStatus) {
        let migrations = self.migrations
        let timeout = self.timeout
        let logger = self.logger
        return try await client.withTransaction { transaction in
            // Long migrations and lock waits are bounded by `timeout`, not the pool's statement_timeout.
            _ = try await transaction.query("SELECT set_config('statement_timeout', '0', true)", timeout: timeout)
            _ = try await transaction.query("SELECT pg_advisory_xact_lock($1)", [.int(Self.advisoryLockKey)], timeout: timeout)
            _ = try await transaction.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                timeout: timeout
            )
            let applied = try await transaction.query("SELECT version FROM schema_migrations ORDER BY version", timeout: timeout)
                .map { try $0.decode(Int.self, column: "version") }
            let status = MigrationStatus(applied: applied, known: migrations.map(\.version))
            guard status.unknown.isEmpty || status.pending.isEmpty else {
                throw MigrationError.databaseIsNewer(unknownVersions: status.unknown)
            }
            if !status.unknown.isEmpty {
                logger.notice("the database has newer schema versions than this build; nothing to apply",
                              metadata: ["migration.newer_versions": "\(status.unknown)"])
            }

            var appliedNow: [Migration] = []
            for migration in migrations where status.pending.contains(migration.version) {
                logger.info("Applying migration", metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"])
                try await transaction.executeScript(migration.sql, timeout: timeout)
                _ = try await transaction.query(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                    [.int(migration.version), .text(migration.name)],
                    timeout: timeout
                )
                appliedNow.append(migration)
            }
            return (appliedNow, status)
        }
    }

    /// Compares the versions recorded in the database with the bundled ones, changing nothing.
    public func status() async throws -> MigrationStatus {
        let known = migrations.map(\.version)
        let table = try await client.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        guard try table.first?.decode(Bool.self, column: "present") == true else {
            return MigrationStatus(applied: [], known: known)
        }
        let applied = try await client.query("SELECT version FROM schema_migrations ORDER BY version")
            .map { try $0.decode(Int.self, column: "version") }
        return MigrationStatus(applied: applied, known: known)
    }
}
