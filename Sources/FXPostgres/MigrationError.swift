/// Why migrations cannot run.
public enum MigrationError: Error, Sendable, Equatable {
    /// The `Migrations` resource directory is not next to the executable.
    case resourcesMissing
    /// A migration file is not named `NNNN_description.sql`.
    case invalidFileName(String)
    /// Two migrations share a version.
    case duplicateVersion(Int)
    /// The database has versions this build does not know: it was migrated by a newer release.
    case databaseIsNewer(unknownVersions: [Int])
}
