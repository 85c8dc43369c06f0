/// Why migrations cannot run.
public enum MigrationError: Error, Sendable, Equatable {
    /// The `Migrations` resource directory is not next to the executable.
    case resourcesMissing
    /// A migration file is not named `NNNN_description.sql`.
    case invalidFileName(String)
    /// Two migrations share a version.
    case duplicateVersion(Int)
    /// The database has versions this build does not know (a newer release migrated it) and lacks some it
    /// does, so this build's pending migrations would run after newer ones.
    case databaseIsNewer(unknownVersions: [Int])
}
