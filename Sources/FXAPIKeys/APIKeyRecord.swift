import FXPostgres
import Foundation

/// One row of `api_keys` as `fxrates keys list` shows it: everything but the hash.
public struct APIKeyRecord: Sendable, Equatable {
    public let id: Int64
    public let tenant: String
    public let limits: String?
    public let createdAt: Date
    public let revokedAt: Date?
    public let expiresAt: Date?
    /// Written at most once a minute per key and replica, so up to a minute (plus one write) behind.
    public let lastUsedAt: Date?

    static let columns = "id, tenant, limits, created_at, revoked_at, expires_at, last_used_at"

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, column: "id")
        tenant = try row.decode(String.self, column: "tenant")
        limits = try row.decode(String?.self, column: "limits")
        createdAt = try row.decode(Date.self, column: "created_at")
        revokedAt = try row.decode(Date?.self, column: "revoked_at")
        expiresAt = try row.decode(Date?.self, column: "expires_at")
        lastUsedAt = try row.decode(Date?.self, column: "last_used_at")
    }
}
