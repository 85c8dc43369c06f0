import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Keeps one connection to Redis up: connects, waits for it to close and
/// reconnects with backoff, until shut down. Each state change is logged once,
/// not every failed retry.
final class ReconnectingConnection: Sendable {
    /// Runs on every new connection before it is handed out (e.g. SUBSCRIBE).
    typealias Preparation = @Sendable (RedisConnection) async throws -> Void

    private enum State {
        case disconnected
        case connected(RedisConnection)
        case shutdown
    }

    private let state = NIOLockedValueBox(State.disconnected)
    private let configuration: RedisConfiguration
    private let eventLoop: EventLoop
    private let logger: Logger
    private let prepare: Preparation
    private let onStateChange: @Sendable (RedisConnectionState) -> Void
    /// Where each attempt connects, in turn (a cluster's nodes); empty: the configuration's own host and port.
    private let endpoints: @Sendable () -> [RedisEndpoint]

    init(
        configuration: RedisConfiguration,
        eventLoop: EventLoop,
        logger: Logger,
        endpoints: @escaping @Sendable () -> [RedisEndpoint] = { [] },
        prepare: @escaping Preparation = { _ in },
        onStateChange: @escaping @Sendable (RedisConnectionState) -> Void = { _ in }
    ) {
        self.endpoints = endpoints
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.logger = logger
        self.prepare = prepare
        self.onStateChange = onStateChange
    }

    /// The connection if it is up right now; never waits.
    var activeConnection: RedisConnection? {
        state.withLockedValue { state in
            if case .connected(let connection) = state, connection.isActive { connection } else { nil }
        }
    }

    /// The reconnect loop; returns after `shutdown()` or when its task is cancelled.
    func run() async {
        var attempt = 0
        var reportedUnavailable = false
        // Counts every attempt, successful or not, so that after a loss the next attempt tries the next node.
        var rotation = 0
        while !isShutdown {
            do {
                let candidates = endpoints()
                var target = configuration
                if !candidates.isEmpty {
                    let index = rotation % candidates.count
                    target = configuration.aimed(at: candidates[index])
                    rotation = index + 1
                }
                let connection = try await connectAndPrepare(target)
                guard install(connection) else {
                    await connection.close()
                    return
                }
                logger.info("Redis connection established")
                onStateChange(.connected)
                attempt = 0
                reportedUnavailable = false

                try? await connection.closeFuture.get()
                guard uninstall() else { return }
                logger.warning("Redis connection lost; reconnecting in the background")
                reportedUnavailable = true
                onStateChange(.disconnected)
            } catch {
                if reportedUnavailable {
                    logger.trace("Redis reconnect attempt failed", metadata: ["error": "\(error)"])
                } else {
                    logger.warning("Redis unavailable; retrying in the background", metadata: ["error": "\(error)"])
                    reportedUnavailable = true
                    // Tells a client waiting on its first attempt that Redis is down, not still starting.
                    onStateChange(.disconnected)
                }
            }
            do {
                try await Task.sleep(for: configuration.reconnectPolicy.delay(afterFailures: attempt + 1))
            } catch {
                return
            }
            attempt += 1
        }
    }

    /// Closes the current connection unless it is to `primary`; the loop then reconnects to where the
    /// sentinels say. For a primary that a sentinel has just replaced.
    func dropConnection(unlessConnectedTo primary: RedisEndpoint) {
        let stale = state.withLockedValue { state -> RedisConnection? in
            if case .connected(let connection) = state, connection.endpoint != primary { connection } else { nil }
        }
        guard let stale else { return }
        logger.warning("dropping the Redis connection to a demoted primary",
                       metadata: ["redis.demoted": "\(stale.endpoint)", "redis.primary": "\(primary)"])
        stale.channel.close(promise: nil)
    }

    /// Stops reconnecting and closes the current connection.
    func shutdown() async {
        let previous = state.withLockedValue { state in
            defer { state = .shutdown }
            return state
        }
        if case .connected(let connection) = previous {
            await connection.close()
        }
    }

    private var isShutdown: Bool {
        state.withLockedValue { state in
            if case .shutdown = state { true } else { false }
        }
    }

    private func connectAndPrepare(_ configuration: RedisConfiguration) async throws -> RedisConnection {
        let connection = try await RedisConnection.open(
            configuration: configuration,
            eventLoop: eventLoop,
            logger: logger
        )
        do {
            try await prepare(connection)
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    /// Returns false when the connection arrived after shutdown.
    private func install(_ connection: RedisConnection) -> Bool {
        state.withLockedValue { state in
            if case .shutdown = state { return false }
            state = .connected(connection)
            return true
        }
    }

    /// Returns false when the connection closed because of shutdown.
    private func uninstall() -> Bool {
        state.withLockedValue { state in
            if case .shutdown = state { return false }
            state = .disconnected
            return true
        }
    }
}
