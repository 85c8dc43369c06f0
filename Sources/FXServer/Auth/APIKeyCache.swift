import FXCore
import Synchronization

/// Remembers key lookups for a short time, found and not found alike, so that repeated requests with
/// the same key — valid or not — cost one store lookup per TTL, and concurrent lookups of one key share
/// a single query. Store failures are not remembered: the next request asks again.
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
    private let entries = Mutex<[APIKeyHash: Entry]>([:])

    public init(store: any APIKeyStore, policy: Policy = Policy()) {
        precondition(policy.capacity > 0, "the cache needs room for at least one key")
        self.store = store
        self.policy = policy
    }

    /// The identity of the active key with this hash, or `nil` if there is none.
    /// - Throws: ``APIKeyStoreUnavailable`` when the store failed.
    public func identity(for hash: APIKeyHash) async throws(APIKeyStoreUnavailable) -> APIKeyIdentity? {
        let now = ContinuousClock.now
        let lookup: Lookup = entries.withLock { entries in
            switch entries[hash] {
            case .resolved(let identity, let expires) where now < expires:
                return .cached(identity)
            case .pending(let task):
                return .inFlight(task)
            case .resolved, nil:
                makeRoom(in: &entries, now: now)
                let task = Task { [store] in try await store.identity(for: hash) }
                entries[hash] = .pending(task)
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
        entries.withLock { entries in
            entries = entries.filter { _, entry in
                if case .pending = entry { return true }
                return false
            }
        }
    }

    private func remember(_ identity: APIKeyIdentity?, for hash: APIKeyHash) {
        let expires = ContinuousClock.now + (identity == nil ? policy.negativeTTL : policy.positiveTTL)
        entries.withLock { entries in
            if case .pending = entries[hash] { entries[hash] = .resolved(identity, expires: expires) }
        }
    }

    private func forget(_ hash: APIKeyHash) {
        entries.withLock { entries in
            if case .pending = entries[hash] { entries[hash] = nil }
        }
    }

    /// Drops expired entries when full, then the entry closest to expiry; in-flight lookups stay.
    private func makeRoom(in entries: inout [APIKeyHash: Entry], now: ContinuousClock.Instant) {
        guard entries.count >= policy.capacity else { return }
        entries = entries.filter { _, entry in
            if case .resolved(_, let expires) = entry { return now < expires }
            return true
        }
        guard entries.count >= policy.capacity else { return }
        let oldest = entries.compactMap { hash, entry -> (APIKeyHash, ContinuousClock.Instant)? in
            if case .resolved(_, let expires) = entry { return (hash, expires) }
            return nil
        }.min { $0.1 < $1.1 }
        if let oldest { entries[oldest.0] = nil }
    }
}
