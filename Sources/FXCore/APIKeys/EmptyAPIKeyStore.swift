/// The store of the embedded default (no database): it holds no keys, so every presented key is unknown.
public struct EmptyAPIKeyStore: APIKeyStore {
    public init() {}

    public func identity(for hash: APIKeyHash) async throws -> APIKeyIdentity? { nil }
}
