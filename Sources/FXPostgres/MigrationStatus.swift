/// Applied schema versions compared with the versions this build ships.
public struct MigrationStatus: Sendable, Equatable {
    /// Versions recorded in `schema_migrations`, ascending.
    public let applied: [Int]
    /// Versions this build knows, ascending.
    public let known: [Int]

    public init(applied: [Int], known: [Int]) {
        self.applied = applied.sorted()
        self.known = known.sorted()
    }

    /// Known but not yet applied: the database is older than this build.
    public var pending: [Int] { known.filter { !applied.contains($0) } }

    /// Applied but unknown: the database was migrated by a newer build.
    public var unknown: [Int] { applied.filter { !known.contains($0) } }

    /// The schema is exactly what this build expects.
    public var isCurrent: Bool { applied == known }

    /// Every migration this build needs is applied; newer ones may be too (expand-then-contract).
    public var isServable: Bool { pending.isEmpty }
}
