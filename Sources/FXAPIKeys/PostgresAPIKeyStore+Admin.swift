import FXCore
import FXPostgres
import Foundation

/// Managing keys, for `fxrates keys`.
extension PostgresAPIKeyStore {
    /// Creates a key for `tenant`, storing only its SHA-256; it stops working at `expiresAt`, if given.
    /// - Throws: ``InvalidTenant`` for a tenant name that is not 1 to 64 of `A-Z a-z 0-9 . _ -`.
    public func create(tenant: String, limits: LimitPolicy?, expiresAt: Date? = nil) async throws -> CreatedAPIKey {
        guard InvalidTenant.isValid(tenant) else { throw InvalidTenant(name: tenant) }
        let key = APIKey.generate()
        let rows = try await client.query(
            "INSERT INTO api_keys (tenant, key_hash, limits, expires_at) VALUES ($1, $2, $3, $4) RETURNING id",
            [.text(tenant), .bytea(key.hash.bytes), limits.map { .text($0.description) }, expiresAt.map { .timestamp($0) }])
        return CreatedAPIKey(id: try rows[0].decode(Int64.self, column: "id"), tenant: tenant, limits: limits,
                             expiresAt: expiresAt, key: key)
    }

    /// Every key, oldest first, without hashes.
    public func list() async throws -> [APIKeyRecord] {
        try await client.query("SELECT \(APIKeyRecord.columns) FROM api_keys ORDER BY id")
            .map(APIKeyRecord.init(row:))
    }

    /// Revokes key `id` (keeping the first revocation time if it was already revoked).
    /// - Returns: the key as it is now, or `nil` if there is no key with this id.
    public func revoke(id: Int64) async throws -> APIKeyRecord? {
        let rows = try await client.query(
            """
            UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1
            RETURNING \(APIKeyRecord.columns)
            """, [.int(id)])
        return try rows.first.map(APIKeyRecord.init(row:))
    }
}
