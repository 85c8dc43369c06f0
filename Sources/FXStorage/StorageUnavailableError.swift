import FXPostgres

/// PostgreSQL cannot take a write right now (unreachable, timed out, restarting, or a conflict to retry):
/// the caller may answer 503 and ask the client to retry. Other failures stay what they are.
public struct StorageUnavailableError: Error, CustomStringConvertible {
    public let description: String

    /// Rethrows transient PostgreSQL failures of `body` as this error.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError where error.isTransient {
            throw StorageUnavailableError(description: "\(error)")
        }
    }
}
