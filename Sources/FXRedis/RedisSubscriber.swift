import FXLifecycle
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A dedicated pub/sub connection (a RESP2 connection that subscribed can run
/// no other commands). While `run()` runs, it subscribes to a fixed set of channels,
/// reconnects with backoff, re-subscribes, and reports every (re)subscription in `events`.
public final class RedisSubscriber: Sendable {
    /// Subscription confirmations and messages. Finishes when `run()` ends; meant for
    /// one consumer. Holds at most `bufferedEvents`: past that the oldest are dropped and
    /// `.messagesDropped` says so.
    public let events: AsyncStream<RedisSubscriberEvent>
    public let channels: [String]

    private let continuation: AsyncStream<RedisSubscriberEvent>.Continuation
    private let connection: ReconnectingConnection
    /// Follows the primary behind sentinels; nil without.
    private let sentinelWatch: SentinelSwitchWatch?
    private let broadcaster = ConnectionStateBroadcaster()
    private let lifecycle = RunOnce()
    private let logger: Logger

    /// - Parameter clusterNodes: on a cluster, the nodes known besides the seeds (`RedisClient.clusterNodes`).
    ///   A classic `SUBSCRIBE` on any node of a cluster, replicas included, receives every `PUBLISH`; the
    ///   subscriber connects to the first seed and, whenever its connection is lost, to the next node.
    public init(
        configuration: RedisConfiguration,
        channels: [String],
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        clusterNodes: @escaping @Sendable () -> [RedisEndpoint] = { [] },
        logger: Logger
    ) {
        precondition(!channels.isEmpty, "a Redis subscriber needs at least one channel")
        var logger = logger
        logger[metadataKey: "redis.endpoint"] = "\(configuration.endpointLabel)"
        logger[metadataKey: "redis.subscriber"] = "\(channels)"
        self.logger = logger
        self.channels = channels
        let (events, continuation) = Self.makeEventStream()
        self.events = events
        self.continuation = continuation
        let broadcaster = broadcaster
        let seeds: [RedisEndpoint]
        if case .cluster(let clusterSeeds) = configuration.topology { seeds = clusterSeeds } else { seeds = [] }
        let connection = ReconnectingConnection(
            configuration: configuration,
            eventLoop: eventLoopGroup.next(),
            logger: logger,
            endpoints: { seeds.isEmpty ? [] : seeds + clusterNodes().filter { !seeds.contains($0) } },
            prepare: { connection in
                try await Self.subscribe(
                    connection,
                    to: channels,
                    timeout: configuration.connectTimeout,
                    events: continuation,
                    onStateChange: { broadcaster.update(member: 0, to: $0) }
                )
            }
        )
        self.connection = connection
        self.sentinelWatch = SentinelSwitchWatch(following: configuration, with: [connection],
                                                 eventLoop: eventLoopGroup.next(), logger: logger)
    }

    /// Far more than a consumer that keeps up ever holds; a flood of publishes stops here.
    public static let bufferedEvents = 1024

    /// The bounded stream of `events`: the newest `bufferedEvents` are kept.
    static func makeEventStream()
        -> (AsyncStream<RedisSubscriberEvent>, AsyncStream<RedisSubscriberEvent>.Continuation)
    {
        AsyncStream.makeStream(of: RedisSubscriberEvent.self, bufferingPolicy: .bufferingNewest(bufferedEvents))
    }

    /// True while the subscriptions are in place.
    public var isSubscribed: Bool {
        broadcaster.current == .connected
    }

    /// Yields the current state at once, then every change, until shutdown.
    public func connectionStates() -> AsyncStream<RedisConnectionState> {
        broadcaster.stream()
    }

    /// Adds the subscription handler and subscribes; returns once every channel is confirmed.
    static func subscribe(
        _ connection: RedisConnection,
        to channels: [String],
        timeout: Duration,
        events: AsyncStream<RedisSubscriberEvent>.Continuation,
        onStateChange: @escaping @Sendable (RedisConnectionState) -> Void
    ) async throws {
        let eventLoop = connection.channel.eventLoop
        let confirmation = eventLoop.makePromise(of: Void.self)
        try await eventLoop.submit {
            let handler = RedisSubscriptionHandler(
                channels: channels,
                timeout: TimeAmount(timeout),
                confirmation: confirmation,
                events: events,
                onStateChange: onStateChange
            )
            try connection.channel.pipeline.syncOperations.addHandler(handler)
        }.get()
        connection.sendWithoutReply(["SUBSCRIBE"] + channels.map { RedisArgument($0) })
        try await confirmation.futureResult.get()
    }
}

extension RedisSubscriber: Service {
    /// Subscribes and keeps the subscriptions in place until graceful shutdown (or cancellation), then
    /// closes the connection and finishes `events`. A subscriber runs once: a second `run()` returns at once.
    public func run() async throws {
        guard lifecycle.start() else { return }
        await withDiscardingTaskGroup { group in
            group.addTask(operation: connection.run)
            if let sentinelWatch {
                group.addTask(operation: sentinelWatch.run)
            }
            try? await gracefulShutdown()
            await connection.shutdown()
            // Wakes the reconnect loop sleeping through a backoff.
            group.cancelAll()
        }
        broadcaster.finish()
        continuation.finish()
        logger.info("Redis subscriber shut down")
    }
}
