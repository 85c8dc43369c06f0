import FXCore
import Logging
import ServiceLifecycle
import Synchronization
import FXSupport

/// Records when each API key was last used, off the request path: a request only notes its key (a lock and
/// a dictionary look-up), at most once a minute per key on this replica, and this service writes what was
/// noted in one statement per batch. A failed write is logged and dropped; the key is noted again a minute
/// later. Both what it remembers and what waits to be written are bounded.
public final class APIKeyUseRecorder: Service, Sendable {
    private struct State {
        /// When each key was last noted, to note it at most once per `interval`.
        var noted: LRUCache<Int64, ContinuousClock.Instant>
        var pending: Set<Int64> = []
    }

    private let store: any APIKeyUseStore
    private let interval: Duration
    private let pendingLimit: Int
    private let logger: Logger
    private let state: Mutex<State>
    private let wakeUps: AsyncStream<Void>
    private let wakeUp: AsyncStream<Void>.Continuation

    public init(store: any APIKeyUseStore, interval: Duration = .seconds(60), capacity: Int = 10_000,
                pendingLimit: Int = 1_000, logger: Logger) {
        self.store = store
        self.interval = interval
        self.pendingLimit = pendingLimit
        self.logger = logger
        self.state = Mutex(State(noted: LRUCache(capacity: max(1, capacity))))
        (wakeUps, wakeUp) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Notes that key `id` was used now; never waits. Dropped when `pendingLimit` keys wait to be written.
    public func note(_ id: Int64) {
        let now = ContinuousClock.now
        let queued = state.withLock { state in
            if let last = state.noted.value(for: id), now - last < interval { return false }
            guard state.pending.count < pendingLimit else { return false }
            state.noted.set(now, for: id)
            state.pending.insert(id)
            return true
        }
        if queued { wakeUp.yield() }
    }

    /// Writes whatever is noted, batch by batch, until graceful shutdown; then writes what is left once.
    public func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in wakeUps { await flush() }
        } onGracefulShutdown: { [wakeUp] in
            wakeUp.finish()
        }
        await flush()
    }

    /// Writes what is noted now, in one statement.
    func flush() async {
        let ids = state.withLock { state in
            defer { state.pending.removeAll(keepingCapacity: true) }
            return state.pending.sorted()
        }
        guard !ids.isEmpty else { return }
        do {
            try await store.recordUse(ofKeys: ids)
        } catch {
            logger.warning("could not record when API keys were last used", metadata: [
                "keys": "\(ids.count)", "error": "\(error)",
            ])
        }
    }
}
