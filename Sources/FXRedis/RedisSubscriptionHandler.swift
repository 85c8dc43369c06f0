import NIOCore

/// Consumes the RESP2 pub/sub pushes of a subscribed connection: confirms the
/// subscriptions, then forwards messages to the subscriber's event stream.
final class RedisSubscriptionHandler: ChannelInboundHandler {
    typealias InboundIn = RESPValue

    private let channels: [String]
    private var unconfirmed: Set<String>
    private let timeout: TimeAmount
    private var timeoutTimer: Scheduled<Void>?
    /// Set when confirmation failed; the connection is closing and nothing it
    /// still delivers may reach the event stream.
    private var isAbandoned = false
    private let confirmation: EventLoopPromise<Void>
    private let events: AsyncStream<RedisSubscriberEvent>.Continuation
    /// Called before `.subscribed` is yielded and when the connection closes,
    /// so the subscriber's state never lags behind its events.
    private let onStateChange: @Sendable (RedisConnectionState) -> Void

    init(
        channels: [String],
        timeout: TimeAmount,
        confirmation: EventLoopPromise<Void>,
        events: AsyncStream<RedisSubscriberEvent>.Continuation,
        onStateChange: @escaping @Sendable (RedisConnectionState) -> Void
    ) {
        self.channels = channels
        self.unconfirmed = Set(channels)
        self.timeout = timeout
        self.confirmation = confirmation
        self.events = events
        self.onStateChange = onStateChange
    }

    func handlerAdded(context: ChannelHandlerContext) {
        timeoutTimer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.abandon(context: context, error: RedisError.timeout)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isAbandoned else { return }
        let value = unwrapInboundIn(data)
        if case .error(let message) = value {
            // SUBSCRIBE itself was refused, e.g. NOPERM for the channel.
            abandon(context: context, error: RedisError.server(message))
            return
        }
        guard let push = value.array, let kind = push.first?.string, push.count == 3 else {
            return
        }
        switch kind {
        case "subscribe":
            guard let channel = push[1].string, unconfirmed.remove(channel) != nil, unconfirmed.isEmpty else { return }
            timeoutTimer?.cancel()
            onStateChange(.connected)
            events.yield(.subscribed(channels: channels))
            confirmation.succeed()
        case "message":
            guard let channel = push[1].string, case .bulkString(let payload) = push[2] else { return }
            if case .dropped = events.yield(.message(RedisPubSubMessage(channel: channel, payload: payload))) {
                // The stream keeps the newest events, so this marker outlives the message it dropped; if later
                // ones push it out in turn, they drop one more and leave a marker of their own.
                events.yield(.messagesDropped)
            }
        default:
            return
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        onStateChange(.disconnected)
        confirmation.fail(RedisError.connectionClosed)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timeoutTimer?.cancel()
        confirmation.fail(RedisError.connectionClosed)
    }

    private func abandon(context: ChannelHandlerContext, error: RedisError) {
        guard !isAbandoned, !unconfirmed.isEmpty else { return }
        isAbandoned = true
        confirmation.fail(error)
        context.close(promise: nil)
    }
}
