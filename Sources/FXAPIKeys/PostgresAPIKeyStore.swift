import FXCore
import FXPostgres
import Foundation

/// API keys in PostgreSQL's `api_keys` table, which holds each key's SHA-256 and never the key.
public struct PostgresAPIKeyStore: APIKeyStore {
    let client: PostgresClient
    private let lookupTimeout: Duration

    /// - Parameter lookupTimeout: deadline for one lookup, kept short because a request waits on it.
    public init(client: PostgresClient, lookupTimeout: Duration = .seconds(2)) {
        self.client = client
        self.lookupTimeout = lookupTimeout
    }

    public func identity(for hash: APIKeyHash) async throws -> APIKeyIdentity? {
        let rows = try await client.query(
            """
            SELECT id, tenant, limits, expires_at FROM api_keys
            WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
            """,
            [.bytea(hash.bytes)], timeout: lookupTimeout)
        guard let row = rows.first else { return nil }
        return APIKeyIdentity(
            keyID: try row.decode(Int64.self, column: "id"), tenant: try row.decode(String.self, column: "tenant"),
            limits: try row.decode(String?.self, column: "limits").map { try LimitPolicy(parsing: $0) },
            expiresAt: try row.decode(Date?.self, column: "expires_at"))
    }
}

extension PostgresAPIKeyStore: APIKeyUseStore {
    /// One statement for the whole batch.
    public func recordUse(ofKeys ids: [Int64]) async throws {
        _ = try await client.query(
            "UPDATE api_keys SET last_used_at = now() WHERE id = ANY($1::bigint[])",
            [.text("{" + ids.map(String.init).joined(separator: ",") + "}")], timeout: lookupTimeout)
    }
}
