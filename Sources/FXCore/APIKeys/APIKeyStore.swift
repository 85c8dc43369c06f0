/// Where active API keys are looked up.
///
/// Lookups go by the key's SHA-256, never by the key, so no secret is compared here: an index lookup
/// leaks through its timing at most which hash prefixes exist, and finding a key with a given hash
/// prefix is as hard as guessing the key, so no constant-time comparison is needed.
public protocol APIKeyStore: Sendable {
    /// The identity of the active (not revoked, not expired) key with this hash, or `nil` if there is none.
    func identity(for hash: APIKeyHash) async throws -> APIKeyIdentity?
}
