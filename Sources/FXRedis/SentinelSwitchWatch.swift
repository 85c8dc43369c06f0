import FXSupport
import Logging
import NIOCore

/// Follows `+switch-master` on one sentinel at a time (the next one when its connection is lost) and reports
/// each new primary of `primaryName`, so that connections to the demoted one are dropped at once instead of
/// writing to it until it refuses.
struct SentinelSwitchWatch: Sendable {
    static let channel = "+switch-master"

    private let locator: SentinelPrimaryLocator
    private let reconnectPolicy: ReconnectBackoff
    private let eventLoop: EventLoop
    private let logger: Logger
    private let onPrimary: @Sendable (RedisEndpoint) -> Void

    /// - Parameter onPrimary: called with the primary after every (re)subscription, since a switch may have
    ///   happened while no sentinel was watched, and with each new one.
    init(
        configuration: RedisConfiguration,
        sentinel: RedisSentinelConfiguration,
        eventLoop: EventLoop,
        logger: Logger,
        onPrimary: @escaping @Sendable (RedisEndpoint) -> Void
    ) {
        self.locator = SentinelPrimaryLocator(configuration: configuration, sentinel: sentinel)
        self.reconnectPolicy = configuration.reconnectPolicy
        self.eventLoop = eventLoop
        self.logger = logger
        self.onPrimary = onPrimary
    }

    /// The watch that drops `connections` that are not to the primary; nil without sentinels.
    init?(following configuration: RedisConfiguration, with connections: [ReconnectingConnection],
          eventLoop: EventLoop, logger: Logger) {
        guard let sentinel = configuration.sentinel else { return nil }
        self.init(configuration: configuration, sentinel: sentinel, eventLoop: eventLoop, logger: logger) { primary in
            for connection in connections {
                connection.dropConnection(unlessConnectedTo: primary)
            }
        }
    }

    /// Watches until its task is cancelled.
    func run() async {
        let sentinels = locator.sentinel.sentinels
        guard !sentinels.isEmpty else { return }
        var next = 0
        var failures = 0
        while !Task.isCancelled {
            let node = sentinels[next % sentinels.count]
            next += 1
            do {
                try await watch(node)
                failures = 0
            } catch {
                failures += 1
                logger.debug("cannot watch a Redis sentinel; trying the next", metadata: [
                    "redis.sentinel": "\(node)", "error": "\(error)",
                ])
            }
            do {
                try await Task.sleep(for: reconnectPolicy.delay(afterFailures: failures + 1))
            } catch {
                return
            }
        }
    }

    /// Subscribes on `node` and reports switches until the connection closes or the task is cancelled.
    private func watch(_ node: RedisEndpoint) async throws {
        let connection = try await RedisConnection.connect(
            configuration: locator.sentinelConfiguration, endpoint: node, eventLoop: eventLoop, logger: logger)
        let (events, continuation) = RedisSubscriber.makeEventStream()
        connection.closeFuture.whenComplete { _ in continuation.finish() }
        try await withTaskCancellationHandler {
            do {
                try await RedisSubscriber.subscribe(
                    connection, to: [Self.channel], timeout: locator.sentinelConfiguration.connectTimeout,
                    events: continuation, onStateChange: { _ in })
                if let primary = try await locator.ask(node, eventLoop: eventLoop, logger: logger) {
                    onPrimary(primary)
                }
            } catch {
                await connection.close()
                throw error
            }
            for await event in events {
                guard case .message(let message) = event,
                      let primary = Self.newPrimary(in: message.payload, name: locator.sentinel.primaryName)
                else { continue }
                logger.notice("Redis sentinel switched the primary", metadata: ["redis.primary": "\(primary)"])
                onPrimary(primary)
            }
        } onCancel: {
            connection.channel.close(promise: nil)
        }
        await connection.close()
    }

    /// The new primary in a `+switch-master` payload, `<name> <old-ip> <old-port> <new-ip> <new-port>`, when it
    /// is about `name`.
    static func newPrimary(in payload: ByteBuffer, name: String) -> RedisEndpoint? {
        let fields = String(buffer: payload).split(separator: " ")
        guard fields.count == 5, fields[0] == name, let port = Int(fields[4]), (1...65_535).contains(port) else {
            return nil
        }
        return RedisEndpoint(host: String(fields[3]), port: port)
    }
}
