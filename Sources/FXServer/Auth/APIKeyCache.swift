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
///
/// A found key whose answer is older than `positiveTTL` is served stale while one query refreshes it in the
/// background, for up to `staleTTL` more: a known key's requests never wait for the store, nor fail when it is
/// slow or down (a PostgreSQL outage would otherwise turn every known key into 503s, key by key, as their
/// entries aged). A revocation's message empties the cache (`removeAll`), so a revoked key is not served stale.
public final class APIKeyCache: Sendable {
    private struct Found {
        let identity: APIKeyIdentity
        /// Until then the answer is used as it is.
        let freshUntil: ContinuousClock.Instant
        /// Until then it is still used, stale, while a query refreshes it or cannot.
        let usableUntil: ContinuousClock.Instant
    }

    private struct Entries {
        var found: LRUCache<APIKeyHash, Found>
        var unknown: LRUCache<APIKeyHash, ContinuousClock.Instant>
        /// At most one per key; a lookup waits in the admission before it queries, so few run at once.
        var pending: [APIKeyHash: Task<APIKeyIdentity?, any Error>] = [:]
    }

    private enum Lookup {
        case cached(APIKeyIdentity?)
        case stale(APIKeyIdentity)
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
        /// How long after `positiveTTL` a found key is still served while the store is asked again, slowly or in
        /// vain: how long known keys outlast a PostgreSQL outage.
        public var staleTTL: Duration = .seconds(3600)
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
        case .stale(let identity):
            refresh(hash)
            return Answer(identity: identity, queried: false)
        case .inFlight(let pending):
            task = pending
        case .notCached:
            try beforeQuerying()
            (task, queried) = entries.withLock { entries in
                if let pending = entries.pending[hash] { return (pending, false) }
                let made = query(hash)
                entries.pending[hash] = made
                return (made, true)
            }
        }
        do {
            let identity = try await task.value
            return Answer(identity: remember(identity, for: hash, from: task), queried: queried)
        } catch {
            forget(task, for: hash)
            throw APIKeyStoreUnavailable(underlying: error)
        }
    }

    private func query(_ hash: APIKeyHash) -> Task<APIKeyIdentity?, any Error> {
        Task { [store, admission] in try await admission.run { try await store.identity(for: hash) } }
    }

    /// Asks the store again about a stale answer, unless a query for it runs already; nobody waits for it.
    /// A failure keeps the stale answer, and the next request asks again.
    private func refresh(_ hash: APIKeyHash) {
        let started: Task<APIKeyIdentity?, any Error>? = entries.withLock { entries in
            guard entries.pending[hash] == nil else { return nil }
            let made = query(hash)
            entries.pending[hash] = made
            return made
        }
        guard let started else { return }
        Task {
            do {
                _ = remember(try await started.value, for: hash, from: started)
            } catch {
                forget(started, for: hash)
            }
        }
    }

    private func forget(_ task: Task<APIKeyIdentity?, any Error>, for hash: APIKeyHash) {
        entries.withLock { entries in
            if entries.pending[hash] == task { entries.pending[hash] = nil }
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
                if found.identity.isValid(at: wallNow) {
                    if now < found.freshUntil { return .cached(found.identity) }
                    if now < found.usableUntil { return .stale(found.identity) }
                }
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
                let freshUntil = now + policy.positiveTTL
                entries.found.set(Found(identity: valid, freshUntil: freshUntil, usableUntil: freshUntil + policy.staleTTL),
                                  for: hash)
            } else {
                entries.found.remove(hash)
                entries.unknown.set(now + policy.negativeTTL, for: hash)
            }
        }
        return valid
    }
}
