import NIOCore
import NIOEmbedded
import Testing

@testable import FXRedis

/// Exercises the decoder and FIFO on an EmbeddedChannel, where replies can be
/// split or batched at will and a corrupt stream can be produced.
@Suite struct RedisCommandHandlerTests {
    private func makeChannel(dropsOnReadOnly: Bool = false) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(RESPValueDecoder()),
            RedisCommandHandler(logger: TestRedis.logger, dropsOnReadOnly: dropsOnReadOnly),
        ])
        return channel
    }

    private func send(_ arguments: [RedisArgument], on channel: EmbeddedChannel) throws -> EventLoopFuture<RESPValue> {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let encoded = RedisCommandEncoder.encode(arguments, allocator: channel.allocator)
        try channel.writeOutbound(RedisCommandRequest(encoded: encoded, replyPromise: promise, timeout: nil))
        return promise.futureResult
    }

    @Test func encodesArgvAsRESPArrayOfBulkStrings() throws {
        let encoded = RedisCommandEncoder.encode(["SET", "k\r\n", RedisArgument(bytes: [0, 255]), ""], allocator: ByteBufferAllocator())
        let expected = Array("*4\r\n$3\r\nSET\r\n$3\r\nk\r\n\r\n$2\r\n".utf8) + [0, 255] + Array("\r\n$0\r\n\r\n".utf8)
        #expect(Array(encoded.readableBytesView) == expected)
    }

    @Test func severalRepliesInOneReadAndOneReplyAcrossReads() throws {
        let channel = try makeChannel()
        let first = try send(["PING"], on: channel)
        let second = try send(["INCR", "n"], on: channel)
        let third = try send(["GET", "k"], on: channel)
        let fourth = try send(["BLPOP", "l", "1"], on: channel)
        try channel.writeInbound(ByteBuffer(string: "+PONG\r\n:7\r\n$5\r\nhel"))
        try channel.writeInbound(ByteBuffer(string: "lo\r\n*-1\r\n"))
        #expect(try first.wait() == .simpleString("PONG"))
        #expect(try second.wait() == .integer(7))
        #expect(try third.wait() == .bulk("hello"))
        #expect(try fourth.wait() == .nullArray)
        _ = try channel.finish()
    }

    /// Behind a sentinel, READONLY means the primary was demoted: the connection closes so the next one
    /// asks the sentinels again. A plain connection keeps it an ordinary error reply.
    @Test(arguments: [true, false])
    func readOnlyReplyClosesOnlyASentinelConnection(dropsOnReadOnly: Bool) throws {
        let channel = try makeChannel(dropsOnReadOnly: dropsOnReadOnly)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        let write = try send(["SET", "k", "v"], on: channel)
        try channel.writeInbound(ByteBuffer(string: "-READONLY You can't write against a read only replica.\r\n"))
        #expect(throws: RedisError.server("READONLY You can't write against a read only replica.")) { try write.wait() }
        #expect(channel.isActive == !dropsOnReadOnly)
        _ = try? channel.finish()
    }

    @Test func corruptStreamFailsEveryPendingCommandAndCloses() throws {
        let channel = try makeChannel()
        let first = try send(["PING"], on: channel)
        let second = try send(["PING"], on: channel)
        try channel.writeInbound(ByteBuffer(string: "?garbage\r\n"))
        for future in [first, second] {
            #expect {
                try future.wait()
            } throws: { error in
                if case RedisError.protocolError = error { true } else { false }
            }
        }
        #expect(!channel.isActive)
    }

    @Test func closedConnectionFailsPendingCommands() throws {
        let channel = try makeChannel()
        let pending = try send(["PING"], on: channel)
        try channel.close().wait()
        #expect(throws: RedisError.connectionClosed) { try pending.wait() }
    }
}
