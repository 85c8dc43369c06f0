import NIOCore

/// What a `RedisSubscriber` delivers, in the order it happened on the connection.
public enum RedisSubscriberEvent: Sendable, Hashable {
    /// All channels are (re)subscribed. Messages published while the
    /// subscriber was disconnected are lost, so caches fed by them should be
    /// flushed when this arrives after a reconnect.
    case subscribed(channels: [String])
    case message(RedisPubSubMessage)
    /// Messages arrived faster than the consumer took them and some were dropped: the buffer is bounded, so a
    /// flood of publishes cannot grow memory. What they said is lost, as after a reconnect.
    case messagesDropped
}

public struct RedisPubSubMessage: Sendable, Hashable {
    public let channel: String
    public let payload: ByteBuffer

    public init(channel: String, payload: ByteBuffer) {
        self.channel = channel
        self.payload = payload
    }
}
