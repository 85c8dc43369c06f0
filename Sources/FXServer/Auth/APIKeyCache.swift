import FXCore
import Synchronization
import FXSupport

/// Remembers key lookups for a short time, found and not found alike, so that repeated requests with
/// the same key — valid or not — cost one store lookup per TTL, and concurrent lookups of one key share
/// a single query. Store failures are not remembered: the next request asks again. At most `capacity`
/// keys are kept; the least recently used goes first.
public final class APIKeyCache: Sendable {
    private enum Entry {
        case resolved(APIKeyIdentity?, expires: ContinuousClock.Instant)
        case pending(Task<APIKeyIdentity?, any Error>)
    }

    private enum Lookup {
        case cached(APIKeyIdentity?)
        case inFlight(Task<APIKeyIdentity?, any Error>)
    }

    /// How long answers are kept, and how many.
    public struct Policy: Sendable {
        /// How long a revoked key may keep working.
        public var positiveTTL: Duration = .seconds(30)
        public var negativeTTL: Duration = .seconds(5)
        public var capacity = 10_000

        public init() {}
    }

    private let store: any APIKeyStore
    private let policy: Policy
    private let entries: Mutex<LRUCache<APIKeyHash, Entry>>

    public init(store: any APIKeyStore, policy: Policy = Policy()) {
        self.store = store
        self.policy = policy
        self.entries = Mutex(LRUCache(capacity: policy.capacity))
    }

    /// The identity of the active key with this hash, or `nil` if there is none.
    /// - Throws: ``APIKeyStoreUnavailable`` when the store failed.
    public func identity(for hash: APIKeyHash) async throws(APIKeyStoreUnavailable) -> APIKeyIdentity? {
        let now = ContinuousClock.now
        let lookup: Lookup = entries.withLock { entries in
            switch entries.value(for: hash) {
            case .resolved(let identity, let expires) where now < expires:
                return .cached(identity)
            case .pending(let task):
                return .inFlight(task)
            case .resolved, nil:
                let task = Task { [store] in try await store.identity(for: hash) }
                entries.set(.pending(task), for: hash)
                return .inFlight(task)
            }
        }
        switch lookup {
        case .cached(let identity):
            return identity
        case .inFlight(let task):
            do {
                let identity = try await task.value
                remember(identity, for: hash)
                return identity
            } catch {
                forget(hash)
                throw APIKeyStoreUnavailable(underlying: error)
            }
        }
    }

    /// Forgets every answer, after a key was revoked somewhere: the next request of each key asks the store.
    public func removeAll() {
        entries.withLock { $0.removeAll() }
    }

    private func remember(_ identity: APIKeyIdentity?, for hash: APIKeyHash) {
        let expires = ContinuousClock.now + (identity == nil ? policy.negativeTTL : policy.positiveTTL)
        entries.withLock { entries in
            if case .pending = entries.value(for: hash) { entries.set(.resolved(identity, expires: expires), for: hash) }
        }
    }

    private func forget(_ hash: APIKeyHash) {
        entries.withLock { entries in
            if case .pending = entries.value(for: hash) { entries.remove(hash) }
        }
    }
}
