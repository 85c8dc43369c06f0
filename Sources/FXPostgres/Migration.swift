import Foundation

/// One versioned schema change. Versions are applied in ascending order, once.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The migrations shipped as resources in `Sources/FXPostgres/Migrations`,
    /// named `NNNN_description.sql`, sorted by version.
    public static func bundled() throws -> [Migration] {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw MigrationError.resourcesMissing
        }
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        let migrations = try files.filter { $0.pathExtension == "sql" }.map { file in
            try Migration(fileName: file.lastPathComponent, sql: String(contentsOf: file, encoding: .utf8))
        }
        return try validated(migrations)
    }

    /// Parses `0001_initial.sql` into version 1, name `initial`.
    init(fileName: String, sql: String) throws {
        let stem = fileName.hasSuffix(".sql") ? String(fileName.dropLast(4)) : fileName
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, let version = Int(parts[0]), version > 0, !parts[1].isEmpty else {
            throw MigrationError.invalidFileName(fileName)
        }
        self.init(version: version, name: String(parts[1]), sql: sql)
    }

    /// Sorts by version and rejects duplicate versions.
    static func validated(_ migrations: [Migration]) throws -> [Migration] {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw MigrationError.duplicateVersion(next.version)
        }
        return sorted
    }
}
