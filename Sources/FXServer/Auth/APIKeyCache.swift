import FXAPIKeys
import FXCore
import Foundation
import Synchronization
import FXSupport

/// Remembers key lookups for a short time, so that repeated requests with the same key — valid or not —
/// cost one store lookup per TTL, and concurrent lookups of one key share a single query.
///
/// Found keys and unknown ones live in two caches of their own, each bounded, so that a flood of unknown
/// keys can evict only unknown keys and never a valid one. A found key is remembered no longer than it is
/// valid (`expires_at`). Store failures are not remembered: the next request asks again. Queries go out
/// through a ``KeyLookupAdmission``, so lookups alone never hold more than a few of the pool's connections.
public final class APIKeyCache: Sendable {
    private struct Found {
        let identity: APIKeyIdentity
        let until: ContinuousClock.Instant
    }

    private struct Entries {
        var found: LRUCache<APIKeyHash, Found>
        var unknown: LRUCache<APIKeyHash, ContinuousClock.Instant>
        /// At most one per key; a lookup waits in the admission before it queries, so few run at once.
        var pending: [APIKeyHash: Task<APIKeyIdentity?, any Error>] = [:]
    }

    private enum Lookup {
        case cached(APIKeyIdentity?)
        case inFlight(Task<APIKeyIdentity?, any Error>)
        case notCached
    }

    /// What a lookup found, and whether this call asked the store (rather than the cache or a query in flight).
    public struct Answer: Sendable {
        public let identity: APIKeyIdentity?
        public let queried: Bool
    }

    /// How long answers are kept, and how many.
    public struct Policy: Sendable {
        /// How long a revoked key may keep working on a replica that missed the revocation's message.
        public var positiveTTL: Duration = .seconds(30)
        /// Keys are 256 random bits: a key unknown now becomes known only if it was presented before it
        /// was created, so unknown keys can be remembered for long.
        public var negativeTTL: Duration = .seconds(60)
        /// Found keys kept.
        public var capacity = 10_000
        /// Unknown keys kept; a flood of them evicts only each other.
        public var negativeCapacity = 10_000

        public init() {}
    }

    private let store: any APIKeyStore
    /// The store's database system for traces: `postgresql`, or nil for a store held in memory.
    let storeSystem: String?
    private let policy: Policy
    private let admission: KeyLookupAdmission
    private let wallClock: @Sendable () -> Date
    private let entries: Mutex<Entries>

    /// - Parameter wallClock: the time keys' `expires_at` is compared with.
    public init(store: any APIKeyStore, policy: Policy = Policy(), admission: KeyLookupAdmission = KeyLookupAdmission(),
                wallClock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.storeSystem = store is PostgresAPIKeyStore ? "postgresql" : nil
        self.policy = policy
        self.admission = admission
        self.wallClock = wallClock
        self.entries = Mutex(Entries(found: LRUCache(capacity: max(1, policy.capacity)),
                                     unknown: LRUCache(capacity: max(1, policy.negativeCapacity))))
    }

    /// The identity of the active key with this hash, or `nil` if there is none.
    /// - Throws: ``APIKeyStoreUnavailable`` when the store failed.
    public func identity(for hash: APIKeyHash) async throws -> APIKeyIdentity? {
        try await lookUp(hash, beforeQuerying: {}).identity
    }

    /// Looks `hash` up, calling `beforeQuerying` first when the answer has to come from the store, so that
    /// the caller can refuse the query (by throwing) before it costs anything.
    /// - Throws: what `beforeQuerying` throws; ``APIKeyStoreUnavailable`` when the store failed or too many
    ///   lookups wait already.
    public func lookUp(_ hash: APIKeyHash, beforeQuerying: () throws -> Void) async throws -> Answer {
        let task: Task<APIKeyIdentity?, any Error>
        var queried = false
        switch cached(hash) {
        case .cached(let identity):
            return Answer(identity: identity, queried: false)
        case .inFlight(let pending):
            task = pending
        case .notCached:
            try beforeQuerying()
            (task, queried) = entries.withLock { entries in
                if let pending = entries.pending[hash] { return (pending, false) }
                let made = Task { [store, admission] in try await admission.run { try await store.identity(for: hash) } }
                entries.pending[hash] = made
                return (made, true)
            }
        }
        do {
            let identity = try await task.value
            return Answer(identity: remember(identity, for: hash, from: task), queried: queried)
        } catch {
            entries.withLock { entries in
                if entries.pending[hash] == task { entries.pending[hash] = nil }
            }
            throw APIKeyStoreUnavailable(underlying: error)
        }
    }

    /// Forgets every answer, after a key was revoked somewhere: the next request of each key asks the store.
    public func removeAll() {
        entries.withLock { entries in
            entries.found.removeAll()
            entries.unknown.removeAll()
            // Queries in flight may have read the key before its revocation: their answers are not kept.
            entries.pending.removeAll()
        }
    }

    private func cached(_ hash: APIKeyHash) -> Lookup {
        let now = ContinuousClock.now
        let wallNow = wallClock()
        return entries.withLock { entries in
            if let found = entries.found.value(for: hash) {
                if now < found.until, found.identity.isValid(at: wallNow) { return .cached(found.identity) }
                entries.found.remove(hash)
            }
            if let until = entries.unknown.value(for: hash) {
                if now < until { return .cached(nil) }
                entries.unknown.remove(hash)
            }
            return entries.pending[hash].map(Lookup.inFlight) ?? .notCached
        }
    }

    /// Stores the answer of `task`, the query for `hash`, once (whoever of its waiters comes first), unless
    /// `removeAll` dropped it meanwhile (its answer may predate a revocation), and hands back what it means
    /// now: a key that has expired meanwhile is unknown.
    private func remember(_ identity: APIKeyIdentity?, for hash: APIKeyHash,
                          from task: Task<APIKeyIdentity?, any Error>) -> APIKeyIdentity? {
        let now = ContinuousClock.now
        let valid = identity.flatMap { $0.isValid(at: wallClock()) ? $0 : nil }
        entries.withLock { entries in
            guard entries.pending[hash] == task else { return }
            entries.pending[hash] = nil
            if let valid {
                entries.found.set(Found(identity: valid, until: now + policy.positiveTTL), for: hash)
            } else {
                entries.unknown.set(now + policy.negativeTTL, for: hash)
            }
        }
        return valid
    }
}
