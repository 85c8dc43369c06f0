import NIOCore
import NIOEmbedded
import Testing

@testable import FXRedis

/// A flood of publishes against a consumer that does not keep up: the subscriber's buffer stays bounded and
/// says that messages were dropped, so the consumer can reload what they would have invalidated.
@Suite struct SubscriberBufferTests {
    @Test func aFloodKeepsTheNewestEventsAndSaysSomeWereDropped() async throws {
        let (events, continuation) = RedisSubscriber.makeEventStream()
        let channel = EmbeddedChannel()
        let confirmation = channel.eventLoop.makePromise(of: Void.self)
        try channel.pipeline.syncOperations.addHandler(RedisSubscriptionHandler(
            channels: ["c"], timeout: .seconds(60), confirmation: confirmation, events: continuation,
            onStateChange: { _ in }))
        let flood = 3 * RedisSubscriber.bufferedEvents
        for index in 0..<flood {
            try channel.writeInbound(RESPValue.array([.bulk("message"), .bulk("c"), .bulk("\(index)")]))
        }
        _ = try? channel.finish()
        continuation.finish()

        var received: [RedisSubscriberEvent] = []
        for await event in events { received.append(event) }
        #expect(received.count <= RedisSubscriber.bufferedEvents)
        #expect(received.last == .messagesDropped)
        let newest = RedisSubscriberEvent.message(RedisPubSubMessage(channel: "c", payload: ByteBuffer(string: "\(flood - 1)")))
        #expect(received.contains(newest))
    }
}
