import FXAPIKeys
import FXCore
import FXServer
import Synchronization
import Testing
import FXTestSupport

@Suite("API key cache")
struct APIKeyCacheTests {
    /// A store whose lookups wait until the test opens it; it records how many were in it at once.
    final class GatedStore: APIKeyStore {
        private struct State {
            var calls = 0
            var inFlight = 0
            var mostInFlight = 0
            var open = false
            var waiting: [CheckedContinuation<Void, Never>] = []
        }
        private let state = Mutex(State())
        let firstCall: AsyncStream<Void>
        private let firstCallContinuation: AsyncStream<Void>.Continuation

        init() {
            (firstCall, firstCallContinuation) = AsyncStream.makeStream()
        }

        var calls: Int { state.withLock { $0.calls } }
        var mostInFlight: Int { state.withLock { $0.mostInFlight } }

        func open() {
            let waiting = state.withLock { state in
                state.open = true
                defer { state.waiting = [] }
                return state.waiting
            }
            waiting.forEach { $0.resume() }
        }

        func identity(for hash: APIKeyHash) async throws -> APIKeyIdentity? {
            firstCallContinuation.yield()
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    state.calls += 1
                    state.inFlight += 1
                    state.mostInFlight = max(state.mostInFlight, state.inFlight)
                    if !state.open { state.waiting.append(continuation) }
                    return state.open
                }
                if resumeNow { continuation.resume() }
            }
            state.withLock { $0.inFlight -= 1 }
            return nil
        }
    }

    @Test func concurrentLookupsOfOneKeyShareOneQuery() async throws {
        let store = GatedStore()
        var policy = APIKeyCache.Policy()
        policy.negativeTTL = .seconds(3600)
        let cache = APIKeyCache(store: store, policy: policy)
        let hash = APIKey.generate().hash
        try await withThrowingTaskGroup(of: APIKeyIdentity?.self) { group in
            for _ in 0..<100 {
                group.addTask { try await cache.identity(for: hash) }
            }
            var calls = store.firstCall.makeAsyncIterator()
            _ = await calls.next()
            store.open()
            for try await identity in group {
                #expect(identity == nil)
            }
        }
        #expect(store.calls == 1)
    }

    @Test(.enabled(if: TestDatabase.isConfigured))
    func foundKeysAreCachedForThePositiveTTL() async throws {
        try await TestPostgres.withDatabase { client, _ async throws in
            let postgres = PostgresAPIKeyStore(client: client)
            let created = try await postgres.create(tenant: "acme", limits: nil)
            let store = CountingKeyStore(postgres)
            var policy = APIKeyCache.Policy()
            policy.positiveTTL = .seconds(3600)
            let cache = APIKeyCache(store: store, policy: policy)
            #expect(try await cache.identity(for: created.key.hash)?.tenant == "acme")
            _ = try await postgres.revoke(id: created.id)
            #expect(try await cache.identity(for: created.key.hash)?.tenant == "acme")
            #expect(store.lookups == 1)
        }
    }

    @Test func failuresAreNotCached() async throws {
        final class FlakyStore: APIKeyStore {
            let calls = Mutex(0)
            func identity(for hash: APIKeyHash) async throws -> APIKeyIdentity? {
                let call = calls.withLock { calls in
                    calls += 1
                    return calls
                }
                if call == 1 { throw CancellationError() }
                return APIKeyIdentity(keyID: 1, tenant: "acme", limits: nil)
            }
        }
        let cache = APIKeyCache(store: FlakyStore())
        let hash = APIKey.generate().hash
        await #expect(throws: APIKeyStoreUnavailable.self) { try await cache.identity(for: hash) }
        #expect(try await cache.identity(for: hash)?.tenant == "acme")
    }

    @Test func sizeIsBounded() async throws {
        let store = CountingKeyStore(EmptyAPIKeyStore())
        var policy = APIKeyCache.Policy()
        policy.negativeTTL = .seconds(3600)
        policy.capacity = 2
        policy.negativeCapacity = 2
        let cache = APIKeyCache(store: store, policy: policy)
        let hashes = (0..<3).map { _ in APIKey.generate().hash }
        for hash in hashes + hashes {
            _ = try await cache.identity(for: hash)
        }
        #expect(store.lookups >= 4)
    }
}

@Suite("API key cache under a flood of unknown keys")
struct APIKeyCacheFloodTests {
    /// Knows one key.
    struct OneKeyStore: APIKeyStore {
        let hash: APIKeyHash
        func identity(for hash: APIKeyHash) async throws -> APIKeyIdentity? {
            hash == self.hash ? APIKeyIdentity(keyID: 1, tenant: "acme", limits: nil) : nil
        }
    }

    @Test func unknownKeysNeverEvictAValidOne() async throws {
        let valid = APIKey.generate().hash
        let store = CountingKeyStore(OneKeyStore(hash: valid))
        var policy = APIKeyCache.Policy()
        policy.positiveTTL = .seconds(3600)
        let cache = APIKeyCache(store: store, policy: policy)
        #expect(try await cache.identity(for: valid)?.tenant == "acme")
        // Distinct hashes without hashing 20,000 keys: the cache sees hashes only.
        for index in 0..<20_000 {
            let unknown = APIKeyHash(bytes: withUnsafeBytes(of: UInt64(index).littleEndian) { Array($0) } + [UInt8](repeating: 0xA5, count: 24))
            #expect(try await cache.identity(for: unknown) == nil)
        }
        let lookupsBefore = store.lookups
        #expect(try await cache.identity(for: valid)?.tenant == "acme")
        #expect(store.lookups == lookupsBefore, "the valid key was evicted and looked up again")
    }
}

@Suite("Key lookups admitted per replica")
struct KeyLookupAdmissionTests {
    @Test func atMostFourRunAndSixtyFourWaitTheRestFailAtOnce() async throws {
        let store = APIKeyCacheTests.GatedStore()
        let cache = APIKeyCache(store: store, admission: KeyLookupAdmission(concurrency: 4, queueLimit: 64))
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    do {
                        _ = try await cache.identity(for: APIKey.generate().hash)
                        return true
                    } catch {
                        return false
                    }
                }
            }
            // The 32 beyond 4 running and 64 waiting fail while the others are held.
            var refused = 0
            while refused < 32, let answered = try await group.next() {
                #expect(!answered)
                refused += 1
            }
            try await waitUntil { store.calls == 4 }
            store.open()
            var answered = 0
            for try await result in group {
                #expect(result)
                answered += 1
            }
            #expect(answered == 68)
        }
        #expect(store.calls == 68)
        #expect(store.mostInFlight == 4)
    }
}

@Suite("API key cache and revocations")
struct APIKeyCacheRevocationTests {
    /// Answers its n-th lookup with `answers[n]`, once the test releases that lookup.
    final class ScriptedStore: APIKeyStore {
        private struct State {
            var calls = 0
            var released: Set<Int> = []
            var held: [Int: CheckedContinuation<Void, Never>] = [:]
        }
        private let state = Mutex(State())
        private let answers: [APIKeyIdentity?]

        init(answers: [APIKeyIdentity?]) {
            self.answers = answers
        }

        var calls: Int { state.withLock { $0.calls } }

        func release(_ call: Int) {
            let held = state.withLock { state in
                state.released.insert(call)
                return state.held.removeValue(forKey: call)
            }
            held?.resume()
        }

        func identity(for hash: APIKeyHash) async throws -> APIKeyIdentity? {
            let call = state.withLock { state in
                defer { state.calls += 1 }
                return state.calls
            }
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.released.contains(call) { return true }
                    state.held[call] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
            return answers.indices.contains(call) ? answers[call] : nil
        }
    }

    /// A lookup that started before a revocation was announced answers its own request, but its answer is not
    /// kept: the lookup made after the announcement decides what the cache holds.
    @Test func anAnswerReadBeforeARevocationIsNotKept() async throws {
        let store = ScriptedStore(answers: [APIKeyIdentity(keyID: 1, tenant: "acme", limits: nil), nil])
        var policy = APIKeyCache.Policy()
        policy.positiveTTL = .seconds(3600)
        policy.negativeTTL = .seconds(3600)
        let cache = APIKeyCache(store: store, policy: policy)
        let hash = APIKey.generate().hash
        let before = Task { try await cache.identity(for: hash) }
        try await waitUntil { store.calls == 1 }
        cache.removeAll()
        let after = Task { try await cache.identity(for: hash) }
        try await waitUntil { store.calls == 2 }
        store.release(0)
        #expect(try await before.value?.tenant == "acme")
        store.release(1)
        #expect(try await after.value == nil)
        #expect(try await cache.identity(for: hash) == nil)
        #expect(store.calls == 2)
    }
}

@Suite("API key cache while the store is slow or down")
struct APIKeyCacheStaleTests {
    private let acme = APIKeyIdentity(keyID: 1, tenant: "acme", limits: nil)

    /// Its first lookup finds the key; every later one fails, as PostgreSQL does while it is down.
    final class FailingAfterFirstStore: APIKeyStore {
        let calls = Mutex(0)
        func identity(for hash: APIKeyHash) async throws -> APIKeyIdentity? {
            let call = calls.withLock { calls in
                defer { calls += 1 }
                return calls
            }
            if call > 0 { throw CancellationError() }
            return APIKeyIdentity(keyID: 1, tenant: "acme", limits: nil)
        }
    }

    private func agedAtOnce() -> APIKeyCache.Policy {
        var policy = APIKeyCache.Policy()
        policy.positiveTTL = .zero
        return policy
    }

    @Test func aKnownKeyKeepsWorkingWhileTheStoreFails() async throws {
        let store = FailingAfterFirstStore()
        let cache = APIKeyCache(store: store, policy: agedAtOnce())
        let hash = APIKey.generate().hash
        #expect(try await cache.identity(for: hash) == acme)
        for _ in 0..<3 {
            #expect(try await cache.identity(for: hash) == acme)
        }
        try await waitUntil { store.calls.withLock { $0 } >= 2 }
    }

    @Test func aStaleKeyIsAnsweredWithoutWaitingForTheStore() async throws {
        let store = APIKeyCacheRevocationTests.ScriptedStore(answers: [acme, acme])
        let cache = APIKeyCache(store: store, policy: agedAtOnce())
        let hash = APIKey.generate().hash
        store.release(0)
        #expect(try await cache.identity(for: hash) == acme)
        let answered = Mutex(false)
        let request = Task {
            defer { answered.withLock { $0 = true } }
            return try await cache.identity(for: hash)
        }
        // The store holds the second query until the request has its answer: it must not wait for it.
        try await waitUntil { store.calls == 2 }
        try await waitUntil { answered.withLock { $0 } }
        store.release(1)
        #expect(try await request.value == acme)
    }

    @Test func aKeyTheRefreshNoLongerFindsStopsWorking() async throws {
        let store = APIKeyCacheRevocationTests.ScriptedStore(answers: [acme, nil])
        let cache = APIKeyCache(store: store, policy: agedAtOnce())
        let hash = APIKey.generate().hash
        store.release(0)
        store.release(1)
        #expect(try await cache.identity(for: hash) == acme)
        #expect(try await cache.identity(for: hash) == acme, "stale, while the refresh asks")
        var answer: APIKeyIdentity? = acme
        for _ in 0..<5000 where answer != nil {
            answer = try await cache.identity(for: hash)
            if answer != nil { try await Task.sleep(for: .milliseconds(1)) }
        }
        #expect(answer == nil)
        #expect(store.calls == 2)
    }

    @Test func withoutAStaleTimeAFailureIsA503AsBefore() async throws {
        var policy = agedAtOnce()
        policy.staleTTL = .zero
        let cache = APIKeyCache(store: FailingAfterFirstStore(), policy: policy)
        let hash = APIKey.generate().hash
        #expect(try await cache.identity(for: hash) == acme)
        await #expect(throws: APIKeyStoreUnavailable.self) { try await cache.identity(for: hash) }
    }
}
