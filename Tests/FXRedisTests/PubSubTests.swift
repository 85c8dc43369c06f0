import FXLifecycle
import FXTestSupport
import FXRedis
import NIOCore
import Testing

@Suite(.enabled(if: TestRedis.isConfigured, "set FX_TEST_REDIS_URL (scripts/test-redis.sh start)"))
struct PubSubTests {
    @Test func deliversMessagesOfSubscribedChannelsOnly() async throws {
        let channels = ["fxredis:test:pubsub:a", "fxredis:test:pubsub:b"]
        let subscriber = RedisSubscriber(
            configuration: try TestRedis.configuration(),
            channels: channels,
            logger: TestRedis.logger
        )
        try await withRunning(subscriber) { subscriber in
            try await TestRedis.withClient(TestRedis.configuration()) { client async throws in
                try await withTimeout(.seconds(20)) { () async throws in
                    var events = subscriber.events.makeAsyncIterator()
                    #expect(await events.next() == .subscribed(channels: channels))
                    #expect(subscriber.isSubscribed)

                    try await client.publish("ignored", to: "fxredis:test:pubsub:other")
                    #expect(try await client.publish(RedisArgument(bytes: [0, 13, 10, 255]), to: channels[1]) == 1)
                    #expect(try await client.publish("first", to: channels[0]) == 1)

                    #expect(await events.next() == .message(RedisPubSubMessage(
                        channel: channels[1], payload: ByteBuffer(bytes: [0, 13, 10, 255]))))
                    #expect(await events.next() == .message(RedisPubSubMessage(
                        channel: channels[0], payload: ByteBuffer(string: "first"))))
                }
            }
        }
    }

    @Test func resubscribesAfterClientKillAndSignalsIt() async throws {
        // CLIENT KILL TYPE pubsub hits every subscriber, so this runs on a private server.
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        var config = try RedisConfiguration(url: server.url)
        config.commandTimeout = TestRedis.patientTimeout
        config.reconnectPolicy = TestRedis.fastReconnect
        let channel = "fxredis:test:pubsub:resubscribe"
        let subscriber = RedisSubscriber(configuration: config, channels: [channel], logger: TestRedis.logger)
        try await withRunning(subscriber) { subscriber in
            try await TestRedis.withClient(config) { client async throws in
                try await withTimeout(.seconds(20)) { () async throws in
                    var events = subscriber.events.makeAsyncIterator()
                    #expect(await events.next() == .subscribed(channels: [channel]))
                    #expect(try await client.publish("before", to: channel) == 1)
                    #expect(await events.next() == .message(RedisPubSubMessage(channel: channel, payload: ByteBuffer(string: "before"))))

                    #expect(try await client.send("CLIENT", ["KILL", "TYPE", "pubsub"]) == .integer(1))
                    #expect(await events.next() == .subscribed(channels: [channel]))
                    #expect(try await client.publish("after", to: channel) == 1)
                    #expect(await events.next() == .message(RedisPubSubMessage(channel: channel, payload: ByteBuffer(string: "after"))))
                }
            }
        }
    }

    @Test func eventsFinishOnShutdown() async throws {
        let subscriber = RedisSubscriber(
            configuration: try TestRedis.configuration(),
            channels: ["fxredis:test:pubsub:shutdown"],
            logger: TestRedis.logger
        )
        try await withTimeout(.seconds(20)) { () async throws in
            var events = subscriber.events.makeAsyncIterator()
            try await withRunning(subscriber) { _ in
                #expect(await events.next() == .subscribed(channels: ["fxredis:test:pubsub:shutdown"]))
            }
            #expect(await events.next() == nil)
            #expect(!subscriber.isSubscribed)
        }
    }
}

@Suite(.enabled(if: TestRedis.isConfigured, "set FX_TEST_REDIS_URL (scripts/test-redis.sh start)"))
struct PubSubRefusalTests {
    @Test func refusedSubscriptionIsRetriedWithoutSignallingSubscribed() async throws {
        let server = try await RedisServerProcess(arguments: ["--user", "bob", "on", ">pw", "~*", "resetchannels", "+@all"])
        defer { server.destroy() }
        var config = try RedisConfiguration(url: "redis://bob:pw@127.0.0.1:\(server.port)")
        config.reconnectPolicy = TestRedis.fastReconnect
        let subscriber = RedisSubscriber(configuration: config, channels: ["forbidden"], logger: TestRedis.logger)
        let states = subscriber.connectionStates()
        try await withRunning(subscriber) { subscriber in
            await #expect(throws: RedisError.timeout) {
                try await waitFor(.connected, in: states, within: .milliseconds(500))
            }
            #expect(!subscriber.isSubscribed)
        }
    }
}
