import FXPostgres

/// Makes sure the schema is the one this build knows before rates are read or written:
/// migrates first when `autoMigrate` is set, otherwise refuses a schema with pending or unknown versions.
public struct SchemaGate: Sendable {
    private let migrator: Migrator
    private let autoMigrate: Bool

    public init(migrator: Migrator, autoMigrate: Bool) {
        self.migrator = migrator
        self.autoMigrate = autoMigrate
    }

    public func prepare() async throws {
        if autoMigrate { _ = try await migrator.migrate() }
        try Self.check(try await migrator.status())
    }

    public static func check(_ status: MigrationStatus) throws(SchemaNotCurrentError) {
        guard status.isCurrent else { throw SchemaNotCurrentError(status: status) }
    }
}
