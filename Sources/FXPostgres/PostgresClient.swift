import FXLifecycle
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A PostgreSQL client backed by a bounded pool of libpq connections.
///
/// libpq is blocking, so every libpq call runs on a dedicated `NIOThreadPool`
/// owned by the client; callers (and event loops) only ever `await`.
///
/// As with postgres-nio's `PostgresClient`, nothing starts in `init`: ``run()`` starts the thread pool,
/// opens connections as callers need them and, on graceful shutdown, closes them all. A query made before
/// ``run()`` starts waits for a connection within `connectionAcquireTimeout`; one made after it has
/// returned fails with ``PostgresError/clientShutdown``.
///
/// ```swift
/// let client = PostgresClient(configuration: .init(connectionString: url), logger: logger)
/// let rate = try await withRunning(client) { client in
///     let rows = try await client.query("SELECT rate FROM rates WHERE base = $1", [.text("EUR")])
///     return try rows.first?.decode(String.self, column: "rate")
/// }
/// ```
public final class PostgresClient: Sendable, Service {
    public let configuration: PostgresClientConfiguration
    private let logger: Logger
    private let threadPool: NIOThreadPool
    private let pool: ConnectionPool
    private let lifecycle = RunOnce()

    public init(configuration: PostgresClientConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        // One thread per connection for its statement plus one for a concurrent cancel request.
        let threadPool = NIOThreadPool(numberOfThreads: 2 * configuration.maximumConnections)
        self.threadPool = threadPool
        let options = LibpqConnection.Options(
            connectionString: configuration.connectionString,
            connectTimeoutSeconds: configuration.connectTimeoutSeconds,
            applicationName: configuration.applicationName,
            statementTimeout: configuration.statementTimeout,
            cancelGracePeriod: configuration.cancelGracePeriod
        )
        self.pool = ConnectionPool(
            maximumConnections: configuration.maximumConnections,
            backoff: configuration.reconnectBackoff,
            logger: logger,
            open: {
                let connection = try await threadPool.runIfActive {
                    try LibpqConnection.connect(options: options, cancelThreadPool: threadPool, logger: logger)
                }
                logger.debug("Opened PostgreSQL connection", metadata: ["postgres.backend_pid": "\(connection.backendPID)"])
                return connection
            },
            close: { connection in await Self.close(connection, on: threadPool) }
        )
        logger.info(
            "PostgreSQL client created",
            metadata: [
                "postgres.connection": "\(configuration.maskedConnectionString)",
                "postgres.max_connections": "\(configuration.maximumConnections)",
            ]
        )
    }

    /// Runs one statement with `$1, $2, ...` placeholders bound to `parameters`.
    ///
    /// - Parameter timeout: client-side deadline; defaults to `configuration.queryTimeout`.
    ///   When it passes, the statement is cancelled on the server and ``PostgresError/timeout`` is thrown.
    /// - Throws: ``PostgresError``, or `CancellationError` if the task was cancelled before the statement started.
    public func query(_ sql: String, _ parameters: [PostgresValue?] = [], timeout: Duration? = nil) async throws -> PostgresRows {
        try await withConnection { connection in
            try await self.run(on: connection, timeout: timeout) { connection, deadline in
                try connection.query(sql, parameters, deadline: deadline)
            }
        }
    }

    /// Runs `body` inside BEGIN/COMMIT on one pinned connection; rolls back if `body` throws.
    public func withTransaction<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresTransaction) async throws -> sending Result
    ) async throws -> sending Result {
        try await withConnection { connection in
            let transaction = PostgresTransaction(client: self, connection: connection)
            _ = try await self.run(on: connection, timeout: nil) { connection, deadline in
                try connection.query("BEGIN", [], deadline: deadline)
            }
            let result: Result
            do {
                result = try await body(transaction)
            } catch {
                transaction.finish()
                await self.rollback(connection)
                throw error
            }
            transaction.finish()
            _ = try await self.run(on: connection, timeout: nil) { connection, deadline in
                try connection.query("COMMIT", [], deadline: deadline)
            }
            return result
        }
    }

    /// Opens connections as they are needed until graceful shutdown (or cancellation); then fails waiting
    /// callers, closes every connection once it is given back, and stops the thread pool. A client runs once:
    /// a second `run()` returns at once.
    public func run() async throws {
        guard lifecycle.start() else { return }
        threadPool.start()
        await pool.run()
        do {
            try await threadPool.shutdownGracefully()
        } catch {
            logger.warning("PostgreSQL thread pool did not shut down cleanly", metadata: ["error": "\(error)"])
        }
        logger.info("PostgreSQL client shut down")
    }

    // MARK: - Internal

    /// Leases a healthy connection for the duration of `body`.
    func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (LibpqConnection) async throws -> sending Result
    ) async throws -> sending Result {
        let connection = try await leaseUsableConnection()
        let result: Result
        do {
            result = try await body(connection)
        } catch {
            await giveBack(connection)
            throw error
        }
        await giveBack(connection)
        return result
    }

    /// Runs blocking libpq work for a leased connection on the thread pool.
    func run<T: Sendable>(
        on connection: LibpqConnection,
        timeout: Duration?,
        _ work: @escaping @Sendable (LibpqConnection, ContinuousClock.Instant) throws -> T
    ) async throws -> T {
        let deadline = ContinuousClock.now + (timeout ?? configuration.queryTimeout)
        do {
            return try await threadPool.runIfActive { try work(connection, deadline) }
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw PostgresError.clientShutdown
        }
    }

    private func leaseUsableConnection() async throws -> LibpqConnection {
        let deadline = ContinuousClock.now + configuration.connectionAcquireTimeout
        while true {
            let connection = try await pool.lease(deadline: deadline)
            let reusable: Bool
            do {
                reusable = try await threadPool.runIfActive { connection.isReusable() }
            } catch {
                await giveBack(connection)
                throw error is NIOThreadPoolError.ThreadPoolInactive ? PostgresError.clientShutdown : error
            }
            if reusable { return connection }
            logger.info("Replacing a broken PostgreSQL connection", metadata: ["postgres.backend_pid": "\(connection.backendPID)"])
            await Self.close(connection, on: threadPool)
            pool.connectionClosed()
        }
    }

    private func giveBack(_ connection: LibpqConnection) async {
        if pool.release(connection) { return }
        await Self.close(connection, on: threadPool)
        pool.connectionClosed()
    }

    /// Rolls back even if the surrounding task was cancelled; a failure leaves the
    /// connection inside a transaction, so the next lease replaces it.
    private func rollback(_ connection: LibpqConnection) async {
        let deadline = ContinuousClock.now + configuration.queryTimeout
        let outcome: Swift.Result<Void, any Error> = await withCheckedContinuation { continuation in
            threadPool.submit { state in
                guard case .active = state else {
                    continuation.resume(returning: .failure(PostgresError.clientShutdown))
                    return
                }
                continuation.resume(returning: Swift.Result { _ = try connection.query("ROLLBACK", [], deadline: deadline) })
            }
        }
        if case .failure(let error) = outcome {
            logger.warning("ROLLBACK failed; the connection will be replaced", metadata: ["error": "\(error)"])
        }
    }

    /// Closes on the thread pool regardless of task cancellation, so no connection leaks.
    private static func close(_ connection: LibpqConnection, on threadPool: NIOThreadPool) async {
        await withCheckedContinuation { continuation in
            threadPool.submit { _ in
                connection.close()
                continuation.resume()
            }
        }
    }
}
