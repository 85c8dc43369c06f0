import FXPostgres

/// The database schema is not exactly the one this build was written for.
public struct SchemaNotCurrentError: Error, CustomStringConvertible {
    public let status: MigrationStatus

    public var description: String {
        if !status.unknown.isEmpty {
            return "the database has schema versions this build does not know (\(list(status.unknown))): "
                + "it was migrated by a newer fxrates; run that release instead"
        }
        return "the database schema is missing migrations \(list(status.pending)): "
            + "run `fxrates migrate` first, or set FX_MIGRATE=auto"
    }

    private func list(_ versions: [Int]) -> String {
        versions.map(String.init).joined(separator: ", ")
    }
}
