import FXCore
import Logging

/// Bookkeeping for a bounded set of connections: idle connections, waiters in
/// FIFO order, and reconnect backoff. It never calls libpq; opening and closing
/// happen through the `open` closure and the client.
actor ConnectionPool {
    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<LibpqConnection, any Error>
        let timeoutTask: Task<Void, Never>
    }

    private let maximumConnections: Int
    private let backoff: ReconnectBackoff
    private let open: @Sendable () async throws -> LibpqConnection
    private let close: @Sendable (LibpqConnection) async -> Void
    private let logger: Logger

    private var idle: [LibpqConnection] = []
    /// Established plus currently connecting connections.
    private var openCount = 0
    private var waiters: [Waiter] = []
    private var nextWaiterID = 0
    private var consecutiveFailures = 0
    private var retryNotBefore: ContinuousClock.Instant?
    private var lastConnectError: PostgresError?
    private var isShutDown = false
    private var drainedContinuations: [CheckedContinuation<Void, Never>] = []

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
    }

    /// Returns an idle or new connection, waiting until `deadline` for one to be released.
    func lease(deadline: ContinuousClock.Instant) async throws -> LibpqConnection {
        if isShutDown { throw PostgresError.clientShutdown }
        if let connection = idle.popLast() { return connection }
        if openCount < maximumConnections {
            if let retryNotBefore, ContinuousClock.now < retryNotBefore {
                // A fresh connection attempt failed moments ago: fail fast rather than
                // queueing callers behind a database that is down.
                if openCount == 0 { throw lastConnectError ?? PostgresError.connectionFailed(message: "database unavailable") }
            } else {
                startConnecting()
            }
        }
        let id = nextWaiterID
        nextWaiterID += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                if let connection = idle.popLast() {
                    continuation.resume(returning: connection)
                    return
                }
                let timeoutTask = Task {
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    self.failWaiter(id: id, with: PostgresError.poolExhausted)
                }
                waiters.append(Waiter(id: id, continuation: continuation, timeoutTask: timeoutTask))
            }
        } onCancel: {
            Task { await self.failWaiter(id: id, with: CancellationError()) }
        }
    }

    /// Takes back a connection the client considers healthy.
    /// Returns false after shutdown: the caller must then close it and call ``connectionClosed()``.
    func release(_ connection: LibpqConnection) -> Bool {
        if isShutDown { return false }
        hand(connection)
        return true
    }

    /// Records that a leased connection was closed, freeing its slot.
    func connectionClosed() {
        openCount -= 1
        if isShutDown {
            resumeDrainedIfDone()
            return
        }
        guard !waiters.isEmpty else { return }
        if let retryNotBefore, ContinuousClock.now < retryNotBefore {
            if openCount == 0 { failAllWaiters(with: lastConnectError ?? .connectionFailed(message: "database unavailable")) }
        } else {
            startConnecting()
        }
    }

    /// Stops leasing, fails waiters, and returns the idle connections for the caller to close.
    func shutDown() -> [LibpqConnection] {
        isShutDown = true
        failAllWaiters(with: .clientShutdown)
        let connections = idle
        idle.removeAll()
        return connections
    }

    /// Waits until every connection has been closed after ``shutDown()``.
    func waitUntilDrained() async {
        if openCount == 0 { return }
        await withCheckedContinuation { drainedContinuations.append($0) }
    }

    // MARK: - Private

    private func startConnecting() {
        openCount += 1
        Task {
            do {
                let connection = try await open()
                self.connectSucceeded(connection)
            } catch {
                self.connectFailed(error as? PostgresError ?? .connectionFailed(message: "\(error)"))
            }
        }
    }

    private func connectSucceeded(_ connection: LibpqConnection) {
        if consecutiveFailures > 0 {
            logger.info("PostgreSQL connection re-established", metadata: ["failed_attempts": "\(consecutiveFailures)"])
        }
        consecutiveFailures = 0
        retryNotBefore = nil
        lastConnectError = nil
        if isShutDown {
            Task {
                await close(connection)
                self.connectionClosed()
            }
            return
        }
        hand(connection)
    }

    private func connectFailed(_ error: PostgresError) {
        openCount -= 1
        consecutiveFailures += 1
        let delay = backoff.delay(afterFailures: consecutiveFailures)
        retryNotBefore = .now + delay
        lastConnectError = error
        logger.warning(
            "PostgreSQL connection attempt failed",
            metadata: ["error": "\(error.message)", "retry_in": "\(delay)", "consecutive_failures": "\(consecutiveFailures)"]
        )
        if isShutDown {
            resumeDrainedIfDone()
        } else if openCount == 0 {
            failAllWaiters(with: error)
        }
    }

    private func hand(_ connection: LibpqConnection) {
        if waiters.isEmpty {
            idle.append(connection)
            return
        }
        let waiter = waiters.removeFirst()
        waiter.timeoutTask.cancel()
        waiter.continuation.resume(returning: connection)
    }

    private func failWaiter(id: Int, with error: any Error) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waiter.timeoutTask.cancel()
        waiter.continuation.resume(throwing: error)
    }

    private func failAllWaiters(with error: PostgresError) {
        let failed = waiters
        waiters.removeAll()
        for waiter in failed {
            waiter.timeoutTask.cancel()
            waiter.continuation.resume(throwing: error)
        }
    }

    private func resumeDrainedIfDone() {
        guard openCount == 0 else { return }
        let continuations = drainedContinuations
        drainedContinuations.removeAll()
        for continuation in continuations { continuation.resume() }
    }
}
