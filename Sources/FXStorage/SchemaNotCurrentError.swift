import FXPostgres

/// The database schema lacks migrations this build needs.
public struct SchemaNotCurrentError: Error, CustomStringConvertible {
    public let status: MigrationStatus

    public var description: String {
        "the database schema is missing migrations \(status.pending.map(String.init).joined(separator: ", ")): "
            + "run `fxrates migrate` first, or set FX_MIGRATE=auto"
    }
}
