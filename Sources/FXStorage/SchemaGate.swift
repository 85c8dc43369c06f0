import FXPostgres

/// Makes sure the schema has every migration this build needs before rates are read or written:
/// migrates first when `autoMigrate` is set, otherwise refuses a schema with pending versions.
///
/// Versions this build does not know are accepted: migrations are expand-then-contract, so a newer
/// release's migrations only add to the schema, and an older replica (one restarted mid-rollout, or a
/// rollback) keeps serving it.
public struct SchemaGate: Sendable {
    private let migrator: Migrator
    private let autoMigrate: Bool

    public init(migrator: Migrator, autoMigrate: Bool) {
        self.migrator = migrator
        self.autoMigrate = autoMigrate
    }

    /// Checks the schema once: with `autoMigrate`, the migration's own look at it is the check.
    /// - Returns: the versions the database has that are newer than this build's, usually none.
    @discardableResult
    public func prepare() async throws -> [Int] {
        let status = autoMigrate ? try await migrator.migrateReportingStatus().status : try await migrator.status()
        if !autoMigrate { try Self.check(status) }
        return status.unknown
    }

    public static func check(_ status: MigrationStatus) throws(SchemaNotCurrentError) {
        guard status.isServable else { throw SchemaNotCurrentError(status: status) }
    }
}
