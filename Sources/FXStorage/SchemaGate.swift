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

    /// - Returns: the status the check passed with, which may list newer versions.
    @discardableResult
    public func prepare() async throws -> MigrationStatus {
        if autoMigrate { _ = try await migrator.migrate() }
        let status = try await migrator.status()
        try Self.check(status)
        return status
    }

    public static func check(_ status: MigrationStatus) throws(SchemaNotCurrentError) {
        guard status.isServable else { throw SchemaNotCurrentError(status: status) }
    }
}
