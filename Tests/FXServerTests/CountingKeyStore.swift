import FXCore
import Synchronization

/// Wraps a real key store and counts the lookups that reach it.
final class CountingKeyStore: APIKeyStore {
    private let base: any APIKeyStore
    private let count = Mutex(0)

    init(_ base: any APIKeyStore) {
        self.base = base
    }

    var lookups: Int { count.withLock { $0 } }

    func identity(for hash: APIKeyHash) async throws -> APIKeyIdentity? {
        count.withLock { $0 += 1 }
        return try await base.identity(for: hash)
    }
}
