import NIOCore

/// Consumes the RESP2 pub/sub pushes of a subscribed connection: confirms the
/// subscriptions, then forwards messages to the subscriber's event stream.
final class RedisSubscriptionHandler: ChannelInboundHandler {
    typealias InboundIn = RESPValue

    private let channels: [String]
    private var unconfirmed: Set<String>
    private let confirmation: EventLoopPromise<Void>
    private let events: AsyncStream<RedisSubscriberEvent>.Continuation

    init(
        channels: [String],
        confirmation: EventLoopPromise<Void>,
        events: AsyncStream<RedisSubscriberEvent>.Continuation
    ) {
        self.channels = channels
        self.unconfirmed = Set(channels)
        self.confirmation = confirmation
        self.events = events
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        if case .error(let message) = value {
            // SUBSCRIBE itself was refused, e.g. NOPERM for the channel.
            confirmation.fail(RedisError.server(message))
            context.close(promise: nil)
            return
        }
        guard let push = value.array, let kind = push.first?.string, push.count == 3 else {
            return
        }
        switch kind {
        case "subscribe":
            guard let channel = push[1].string, unconfirmed.remove(channel) != nil, unconfirmed.isEmpty else { return }
            events.yield(.subscribed(channels: channels))
            confirmation.succeed()
        case "message":
            guard let channel = push[1].string, case .bulkString(let payload) = push[2] else { return }
            events.yield(.message(RedisPubSubMessage(channel: channel, payload: payload)))
        default:
            return
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        confirmation.fail(RedisError.connectionClosed)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        confirmation.fail(RedisError.connectionClosed)
    }
}
