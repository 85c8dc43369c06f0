import FXCore
import FXLifecycle
import Logging
import ServiceLifecycle
import Synchronization
import FXSupport

/// Bookkeeping for a bounded set of connections: idle connections, waiters in FIFO order, and reconnect
/// backoff. It never calls libpq itself; opening and closing happen through the `open` and `close` closures.
///
/// Opening connections is background work, and only `run()` does it: the pool asks for a connection by
/// sending a request into a stream that `run()` drains, as postgres-nio's pool does. So nothing starts before
/// `run()`, and nothing outlives it. A caller's wait for a connection is bounded in the caller's own task,
/// so it holds before `run()` starts too.
final class ConnectionPool: Sendable {
    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<LibpqConnection, any Error>
    }

    private struct State {
        var idle: [LibpqConnection] = []
        /// Established plus currently connecting connections, plus those asked of `run()` and not yet begun.
        var openCount = 0
        /// Asked of `run()` and not yet begun.
        var requestedConnections = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var consecutiveFailures = 0
        var retryNotBefore: ContinuousClock.Instant?
        var lastConnectError: PostgresError?
        var isShutDown = false
        var drainedContinuations: [CheckedContinuation<Void, Never>] = []
    }

    private let maximumConnections: Int
    private let backoff: ReconnectBackoff
    private let open: @Sendable () async throws -> LibpqConnection
    private let close: @Sendable (LibpqConnection) async -> Void
    private let logger: Logger
    private let state = Mutex(State())
    /// One element per connection to open. Yielded and finished under the state's lock, so that every
    /// counted connection attempt reaches `run()` (or is never counted).
    private let connectRequests: AsyncStream<Void>
    private let connectRequestSink: AsyncStream<Void>.Continuation

    init(
        maximumConnections: Int,
        backoff: ReconnectBackoff,
        logger: Logger,
        open: @escaping @Sendable () async throws -> LibpqConnection,
        close: @escaping @Sendable (LibpqConnection) async -> Void
    ) {
        precondition(maximumConnections > 0, "maximumConnections must be positive")
        self.maximumConnections = maximumConnections
        self.backoff = backoff
        self.logger = logger
        self.open = open
        self.close = close
        (connectRequests, connectRequestSink) = AsyncStream.makeStream(of: Void.self)
    }

    /// Returns an idle or new connection, waiting until `deadline` for one to be released.
    func lease(deadline: ContinuousClock.Instant) async throws -> LibpqConnection {
        let idle = state.withLock { state in state.isShutDown ? nil : state.idle.popLast() }
        if let idle { return idle }
        return try await withDeadline(deadline, timeoutError: PostgresError.poolExhausted) {
            try await self.waitForConnection()
        }
    }

    /// Takes back a connection the client considers healthy.
    /// Returns false after shutdown: the caller must then close it and call ``connectionClosed()``.
    func release(_ connection: LibpqConnection) -> Bool {
        state.withLock { state in
            if state.isShutDown { return false }
            Self.hand(connection, in: &state)
            return true
        }
    }

    /// Records that a leased connection was closed, freeing its slot.
    func connectionClosed() {
        state.withLock { state in
            state.openCount -= 1
            if state.isShutDown {
                Self.resumeDrainedIfDone(&state)
                return
            }
            guard !state.waiters.isEmpty else { return }
            if let retryNotBefore = state.retryNotBefore, ContinuousClock.now < retryNotBefore {
                if state.openCount == 0 {
                    Self.failAllWaiters(with: state.lastConnectError ?? .connectionFailed(message: "database unavailable"), in: &state)
                }
            } else {
                requestConnection(&state)
            }
        }
    }

    /// Opens the connections callers ask for until graceful shutdown (or cancellation); then stops leasing,
    /// fails waiters, closes the idle connections and waits until every leased one has been given back and closed.
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask(operation: shutDownOnGracefulShutdown)
            for await _ in connectRequests {
                group.addTask(operation: connect)
            }
        }
        state.withLock { state in
            // Left in the stream when cancellation ended the loop early: never begun, never to be.
            state.openCount -= state.requestedConnections
            state.requestedConnections = 0
        }
        let idle = state.withLock { state in
            defer { state.idle.removeAll() }
            return state.idle
        }
        for connection in idle {
            await close(connection)
            connectionClosed()
        }
        await withCheckedContinuation { continuation in
            state.withLock { state in
                state.drainedContinuations.append(continuation)
                Self.resumeDrainedIfDone(&state)
            }
        }
    }

    // MARK: - Private

    private func waitForConnection() async throws -> LibpqConnection {
        let id = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                state.withLock { state in
                    // Checked under the lock: a cancellation that lands after the waiter is queued finds it.
                    if Task.isCancelled { return continuation.resume(throwing: CancellationError()) }
                    if state.isShutDown { return continuation.resume(throwing: PostgresError.clientShutdown) }
                    if let connection = state.idle.popLast() { return continuation.resume(returning: connection) }
                    if state.openCount < maximumConnections {
                        if let retryNotBefore = state.retryNotBefore, ContinuousClock.now < retryNotBefore {
                            // A fresh connection attempt failed moments ago: fail fast rather than
                            // queueing callers behind a database that is down.
                            if state.openCount == 0 {
                                return continuation.resume(
                                    throwing: state.lastConnectError ?? .connectionFailed(message: "database unavailable"))
                            }
                        } else {
                            requestConnection(&state)
                        }
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                }
            }
        } onCancel: {
            failWaiter(id: id, with: CancellationError())
        }
    }

    private func requestConnection(_ state: inout State) {
        state.openCount += 1
        state.requestedConnections += 1
        connectRequestSink.yield()
    }

    /// Graceful shutdown, or cancellation of `run()`.
    private func shutDownOnGracefulShutdown() async {
        try? await gracefulShutdown()
        shutDown()
    }

    private func shutDown() {
        state.withLock { state in
            state.isShutDown = true
            Self.failAllWaiters(with: .clientShutdown, in: &state)
            connectRequestSink.finish()
        }
    }

    private func connect() async {
        let skip = state.withLock { state in
            state.requestedConnections -= 1
            // Asked for before shutdown and not yet begun: no longer needed.
            guard state.isShutDown else { return false }
            state.openCount -= 1
            Self.resumeDrainedIfDone(&state)
            return true
        }
        guard !skip else { return }
        do {
            let connection = try await open()
            if !connectSucceeded(connection) {
                await close(connection)
                connectionClosed()
            }
        } catch {
            connectFailed(error as? PostgresError ?? .connectionFailed(message: "\(error)"))
        }
    }

    /// Returns false when the pool shut down meanwhile: the caller closes the connection.
    private func connectSucceeded(_ connection: LibpqConnection) -> Bool {
        let (handed, previousFailures) = state.withLock { state in
            defer {
                state.consecutiveFailures = 0
                state.retryNotBefore = nil
                state.lastConnectError = nil
            }
            if state.isShutDown { return (false, state.consecutiveFailures) }
            Self.hand(connection, in: &state)
            return (true, state.consecutiveFailures)
        }
        if previousFailures > 0 {
            logger.info("PostgreSQL connection re-established", metadata: ["failed_attempts": "\(previousFailures)"])
        }
        return handed
    }

    private func connectFailed(_ error: PostgresError) {
        let (delay, failures) = state.withLock { state in
            state.openCount -= 1
            state.consecutiveFailures += 1
            let delay = backoff.delay(afterFailures: state.consecutiveFailures)
            state.retryNotBefore = .now + delay
            state.lastConnectError = error
            if state.isShutDown {
                Self.resumeDrainedIfDone(&state)
            } else if state.openCount == 0 {
                Self.failAllWaiters(with: error, in: &state)
            }
            return (delay, state.consecutiveFailures)
        }
        // A state change is logged once, as Redis's reconnect loop does: during an outage the pool retries
        // every few seconds, and a warning per attempt would bury the logs. Recovery is logged once too.
        let metadata: Logger.Metadata = [
            "error": "\(error.message)", "retry_in": "\(delay)", "consecutive_failures": "\(failures)",
        ]
        if failures == 1 {
            logger.warning("PostgreSQL unavailable; retrying in the background", metadata: metadata)
        } else {
            logger.debug("PostgreSQL connection attempt failed", metadata: metadata)
        }
    }

    private func failWaiter(id: Int, with error: any Error) {
        state.withLock { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return }
            state.waiters.remove(at: index).continuation.resume(throwing: error)
        }
    }

    // Resuming a continuation only schedules its task, so these run under the lock.

    private static func hand(_ connection: LibpqConnection, in state: inout State) {
        if state.waiters.isEmpty {
            state.idle.append(connection)
        } else {
            state.waiters.removeFirst().continuation.resume(returning: connection)
        }
    }

    private static func failAllWaiters(with error: PostgresError, in state: inout State) {
        for waiter in state.waiters {
            waiter.continuation.resume(throwing: error)
        }
        state.waiters.removeAll()
    }

    private static func resumeDrainedIfDone(_ state: inout State) {
        guard state.openCount == 0 else { return }
        for continuation in state.drainedContinuations { continuation.resume() }
        state.drainedContinuations.removeAll()
    }
}
