import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A Redis client over a small fixed set of pipelined connections used round-robin.
///
/// Connections are opened in the background as soon as the client exists and
/// re-opened with backoff when lost. While no connection is up, commands fail
/// at once with `RedisError.connectionUnavailable` rather than waiting.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration

    private let connections: [ReconnectingConnection]
    private let tasks: NIOLockedValueBox<[Task<Void, Never>]>
    private let nextConnectionIndex = NIOLockedValueBox(0)
    private let broadcaster = ConnectionStateBroadcaster()
    private let logger: Logger

    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        var logger = logger
        logger[metadataKey: "redis.endpoint"] = "\(configuration.host):\(configuration.port)"
        self.configuration = configuration
        self.logger = logger
        let broadcaster = broadcaster
        self.connections = (0..<configuration.connectionCount).map { index in
            var connectionLogger = logger
            connectionLogger[metadataKey: "redis.connection"] = "\(index)"
            return ReconnectingConnection(
                configuration: configuration,
                eventLoop: eventLoopGroup.next(),
                logger: connectionLogger,
                onStateChange: { broadcaster.update(member: index, to: $0) }
            )
        }
        self.tasks = NIOLockedValueBox(connections.map { connection in
            Task { await connection.run() }
        })
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
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await state in states where state == .connected {
                    return
                }
                throw RedisError.shutdown
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw RedisError.timeout
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Sends one command and returns its reply. An error reply throws `RedisError.server`.
    ///
    /// - Parameter timeout: overrides `configuration.commandTimeout` for this call.
    public func send(
        _ command: String,
        _ arguments: [RedisArgument] = [],
        timeout: Duration? = nil
    ) async throws -> RESPValue {
        let connection = try nextConnection()
        let argv = [RedisArgument(command)] + arguments
        return try await connection.send(argv, timeout: TimeAmount(timeout ?? configuration.commandTimeout)).get()
    }

    /// Closes every connection and stops reconnecting; later commands fail with
    /// `connectionUnavailable`.
    public func shutdown() async {
        let running = tasks.withLockedValue { tasks in
            defer { tasks.removeAll() }
            return tasks
        }
        for connection in connections {
            await connection.shutdown()
        }
        for task in running {
            task.cancel()
            await task.value
        }
        broadcaster.finish()
        logger.info("Redis client shut down")
    }

    private func nextConnection() throws -> RedisConnection {
        let start = nextConnectionIndex.withLockedValue { index in
            defer { index = (index + 1) % connections.count }
            return index
        }
        for offset in 0..<connections.count {
            if let connection = connections[(start + offset) % connections.count].activeConnection {
                return connection
            }
        }
        throw RedisError.connectionUnavailable
    }
}

extension RedisClient: Service {
    /// Keeps the client until graceful shutdown of the service group, then closes it.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}
