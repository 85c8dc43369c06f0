import FXLifecycle
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A Redis client over a small fixed set of pipelined connections used round-robin.
///
/// Like postgres-nio's `PostgresClient`, it does nothing until `run()`: connections are opened there and
/// re-opened with backoff when lost, until graceful shutdown. A command sent before the first connection
/// attempt has an outcome waits for it, within its own timeout, and fails with
/// `RedisError.connectionUnavailable` if that passes first. After that, while no connection is up,
/// commands fail at once with `connectionUnavailable` rather than waiting; so they do once `run()` has
/// returned.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    /// Where the connections run; work of the client's users that needs timers (the rate limiter's lanes)
    /// schedules it here too.
    let eventLoopGroup: any EventLoopGroup

    private let connections: [ReconnectingConnection]
    /// Set for a `redis+cluster://` configuration, which then has no `connections` of its own.
    private let cluster: ClusterRouter?
    private let nextConnectionIndex = NIOLockedValueBox(0)
    private let broadcaster = ConnectionStateBroadcaster()
    private let startGate = StartGate()
    private let lifecycle = RunOnce()
    private let logger: Logger

    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        var logger = logger
        logger[metadataKey: "redis.endpoint"] = "\(configuration.endpointLabel)"
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        let broadcaster = broadcaster
        let startGate = startGate
        if case .cluster(let seeds) = configuration.topology {
            cluster = ClusterRouter(seeds: seeds, configuration: configuration, eventLoopGroup: eventLoopGroup,
                                    logger: logger, onStateChange: { broadcaster.update(member: 0, to: $0) })
            connections = []
            return
        }
        cluster = nil
        self.connections = (0..<configuration.connectionCount).map { index in
            var connectionLogger = logger
            connectionLogger[metadataKey: "redis.connection"] = "\(index)"
            return ReconnectingConnection(
                configuration: configuration,
                eventLoop: eventLoopGroup.next(),
                logger: connectionLogger,
                onStateChange: { state in
                    broadcaster.update(member: index, to: state)
                    startGate.open()
                }
            )
        }
    }

    /// True while at least one connection is up. Cheap enough for every request.
    public var isConnected: Bool {
        broadcaster.current == .connected
    }

    /// Yields the current state at once, then every change, until shutdown.
    public func connectionStates() -> AsyncStream<RedisConnectionState> {
        broadcaster.stream()
    }

    /// Waits until a connection is up, e.g. before reporting readiness.
    public func waitUntilConnected(timeout: Duration) async throws {
        let states = connectionStates()
        try await withDeadline(.now + timeout, timeoutError: RedisError.timeout) {
            for await state in states where state == .connected {
                return
            }
            try Task.checkCancellation()
            throw RedisError.shutdown
        }
    }

    /// Sends one command and returns its reply. An error reply throws `RedisError.server`.
    ///
    /// - Parameter timeout: overrides `configuration.commandTimeout` for this call; it bounds any wait for
    ///   the client to start as well.
    public func send(
        _ command: String,
        _ arguments: [RedisArgument] = [],
        timeout: Duration? = nil
    ) async throws -> RESPValue {
        let timeout = timeout ?? configuration.commandTimeout
        let argv = [RedisArgument(command)] + arguments
        if let reply = sendOnActiveConnection(argv, timeout: timeout) {
            return try await reply.get()
        }
        let deadline = ContinuousClock.now + timeout
        try await waitForStart(until: deadline)
        guard let reply = sendOnActiveConnection(argv, timeout: deadline - .now) else {
            throw RedisError.connectionUnavailable
        }
        return try await reply.get()
    }

    /// Sends `argv` on the next connection that is up, for callers that cannot await (completion callbacks).
    /// Nil when no connection is up: nothing was sent, and it never waits for the client to start.
    func sendOnActiveConnection(_ argv: [RedisArgument], timeout: Duration) -> EventLoopFuture<RESPValue>? {
        if let cluster { return cluster.send(argv, timeout: timeout) }
        return nextConnection()?.send(argv, timeout: TimeAmount(timeout))
    }

    /// Until the first connection attempt has an outcome, waits for it (a command sent then means "not yet",
    /// not "Redis is down"); at `deadline` throws `RedisError.connectionUnavailable`. Returns at once after.
    func waitForStart(until deadline: ContinuousClock.Instant) async throws {
        if startGate.phase == .pending {
            try await startGate.wait(until: deadline)
        }
    }

    /// True for a `redis+cluster://` client: commands go to the primary of their key's slot.
    var isCluster: Bool { cluster != nil }

    /// The cluster's nodes as last read from its slot map (replicas included), then its seeds; empty for a
    /// standalone client. Where a subscriber may move when its node goes away.
    public var clusterNodes: [RedisEndpoint] {
        cluster?.knownNodes ?? []
    }

    private func nextConnection() -> RedisConnection? {
        let start = nextConnectionIndex.withLockedValue { index in
            defer { index = (index + 1) % connections.count }
            return index
        }
        for offset in 0..<connections.count {
            if let connection = connections[(start + offset) % connections.count].activeConnection {
                return connection
            }
        }
        return nil
    }
}

extension RedisClient: Service {
    /// Keeps every connection up until graceful shutdown (or cancellation), then closes them. A client runs
    /// once: a second `run()` returns at once.
    public func run() async throws {
        guard lifecycle.start() else { return }
        await withDiscardingTaskGroup { group in
            for connection in connections {
                group.addTask(operation: connection.run)
            }
            if let watch = SentinelSwitchWatch(following: configuration, with: connections,
                                               eventLoop: eventLoopGroup.next(), logger: logger) {
                group.addTask(operation: watch.run)
            }
            if let cluster {
                group.addTask(operation: { [startGate] in await cluster.run(started: startGate.open) })
            }
            try? await gracefulShutdown()
            for connection in connections {
                await connection.shutdown()
            }
            cluster?.shutdown()
            // Wakes reconnect loops sleeping through a backoff.
            group.cancelAll()
        }
        startGate.close()
        broadcaster.finish()
        logger.info("Redis client shut down")
    }
}
