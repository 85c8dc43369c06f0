import FXAPIKeys
import FXCore
import FXPostgres
import FXStorage
@testable import FXServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import FXTestSupport

@Suite("API key expiry and last use", .enabled(if: TestDatabase.isConfigured))
struct APIKeyExpiryAndUseTests {
    /// A wall clock the test moves.
    final class ManualClock: Sendable {
        private let now = Mutex(Date())
        var read: @Sendable () -> Date { { [self] in now.withLock { $0 } } }
        func advance(by seconds: TimeInterval) { now.withLock { $0 += seconds } }
    }

    /// Counts the writes that reach a real store.
    final class CountingUseStore: APIKeyUseStore {
        let base: any APIKeyUseStore
        let writes = Mutex<[[Int64]]>([])
        init(_ base: any APIKeyUseStore) { self.base = base }
        func recordUse(ofKeys ids: [Int64]) async throws {
            writes.withLock { $0.append(ids) }
            try await base.recordUse(ofKeys: ids)
        }
    }

    @Test func anExpiredKeyIsRefusedLikeAnUnknownOne() async throws {
        try await TestPostgres.withDatabase { client, _ async throws in
            let store = PostgresAPIKeyStore(client: client)
            let expired = try await store.create(tenant: "acme", limits: nil, expiresAt: Date() - 60)
            let current = try await store.create(tenant: "acme", limits: nil, expiresAt: Date() + 3600)
            #expect(try await store.identity(for: expired.key.hash) == nil)
            #expect(try await store.identity(for: current.key.hash)?.keyID == current.id)
            try await withKeyedApp(apiKeys: store) { http in
                let (status, headers, body) = try await http.getJSON("/v1/currencies", headers: .bearer(expired.key.text))
                #expect(status == .unauthorized)
                #expect(headers[.wwwAuthenticate] == "Bearer")
                #expect(body["detail"] as? String == "The API key is unknown, revoked or expired")
                #expect(try await http.getJSON("/v1/currencies", headers: .bearer(current.key.text)).0 == .ok)
            }
            let listed = try await store.list()
            #expect(listed.map { $0.expiresAt != nil } == [true, true])
        }
    }

    @Test func aCachedKeyStopsWorkingAtItsExpiry() async throws {
        try await TestPostgres.withDatabase { client, _ async throws in
            let postgres = PostgresAPIKeyStore(client: client)
            let created = try await postgres.create(tenant: "acme", limits: nil, expiresAt: Date() + 3600)
            let clock = ManualClock()
            var policy = APIKeyCache.Policy()
            policy.positiveTTL = .seconds(86_400)
            let cache = APIKeyCache(store: postgres, policy: policy, wallClock: clock.read)
            #expect(try await cache.identity(for: created.key.hash)?.tenant == "acme")
            clock.advance(by: 3599)
            #expect(try await cache.identity(for: created.key.hash)?.tenant == "acme")
            clock.advance(by: 2)
            #expect(try await cache.identity(for: created.key.hash) == nil)
        }
    }

    @Test func lastUseIsWrittenAtMostOncePerIntervalInBatches() async throws {
        try await TestPostgres.withDatabase { client, _ async throws in
            let postgres = PostgresAPIKeyStore(client: client)
            let first = try await postgres.create(tenant: "acme", limits: nil)
            let second = try await postgres.create(tenant: "beta", limits: nil)
            let unused = try await postgres.create(tenant: "gamma", limits: nil)
            let store = CountingUseStore(postgres)
            let recorder = APIKeyUseRecorder(store: store, logger: Logger(label: "test"))
            for id in [first.id, first.id, second.id, first.id] { recorder.note(id) }
            await recorder.flush()
            recorder.note(first.id)
            await recorder.flush()
            #expect(store.writes.withLock { $0 } == [[first.id, second.id]])
            let listed = try await postgres.list()
            #expect(listed.map { $0.lastUsedAt != nil } == [true, true, false])
            #expect(listed.map(\.id) == [first.id, second.id, unused.id])
        }
    }

    @Test func waitingWritesAreBoundedAndFailuresOnlyLogged() async throws {
        struct FailingStore: APIKeyUseStore {
            func recordUse(ofKeys ids: [Int64]) async throws { throw CancellationError() }
        }
        let logs = CapturedLogs()
        let failing = APIKeyUseRecorder(store: FailingStore(), pendingLimit: 2, logger: logs.logger())
        for id in Int64(1)...5 { failing.note(id) }
        await failing.flush()
        #expect(logs.all.contains { $0.level == .warning && $0.metadata["keys"]?.description == "2" })
    }

    @Test func serveRecordsWhenAKeyWasLastUsed() async throws {
        try await withServedDatabase { http, database in
            let store = PostgresAPIKeyStore(client: database)
            let key = try await store.create(tenant: "acme", limits: nil)
            let status = try await http.getJSON("/v1/currencies", headers: .bearer(key.key.text)).0
            #expect(status == .ok)
            let recorded = try await eventually { try await store.list().first?.lastUsedAt != nil }
            #expect(recorded, "last_used_at is written within the test's patience")
        }
    }
}
