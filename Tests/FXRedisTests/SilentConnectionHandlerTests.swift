import NIOCore
import NIOEmbedded
import Testing

@testable import FXRedis

/// The command handler acting on `SilentConnectionRule`, on an EmbeddedChannel whose virtual clock drives the
/// commands' timeouts and the silence that follows: no network, no waiting.
@Suite struct SilentConnectionHandlerTests {
    private let timeout = TimeAmount.milliseconds(50)
    private let allowance = SilentConnectionRule.defaultAllowance

    private func makeConnectedChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(RESPValueDecoder()),
            RedisCommandHandler(logger: TestRedis.logger),
        ])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        return channel
    }

    /// Sends PING with `timeout` (the test's by default); the returned box holds its outcome once it has one.
    private func ping(on channel: EmbeddedChannel, timeout: TimeAmount? = nil) throws -> Outcome {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let encoded = RedisCommandEncoder.encode(["PING"], allocator: channel.allocator)
        try channel.writeOutbound(RedisCommandRequest(encoded: encoded, replyPromise: promise,
                                                      timeout: timeout ?? self.timeout))
        let outcome = Outcome()
        promise.futureResult.whenComplete { outcome.result = $0 }
        return outcome
    }

    final class Outcome: @unchecked Sendable {
        var result: Result<RESPValue, any Error>?
        var timedOut: Bool {
            if case .failure(RedisError.timeout)? = result { true } else { false }
        }
    }

    /// Redis replaced behind the address: one command times out and nothing else is sent (a circuit breaker
    /// in front holds the traffic back). The connection closes when the allowance after the timeout ends; it
    /// used to wait for two more timeouts, which a quiet connection may not see for seconds.
    @Test func oneTimeoutAndSilenceCloseTheConnectionAfterTheAllowance() throws {
        let channel = try makeConnectedChannel()
        let command = try ping(on: channel)
        channel.embeddedEventLoop.advanceTime(by: timeout)
        #expect(command.timedOut)
        channel.embeddedEventLoop.advanceTime(by: allowance - .milliseconds(1))
        #expect(channel.isActive, "closed before the allowance ended")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive, "a connection silent for the allowance after a timeout stays open")
        _ = try? channel.finish()
    }

    /// A busy connection whose commands keep timing out closes at the same moment as a quiet one: the count of
    /// timeouts plays no part.
    @Test func timeoutsInARowDoNotCloseItSoonerOrLater() throws {
        let channel = try makeConnectedChannel()
        var commands: [Outcome] = []
        for _ in 0..<5 {
            commands.append(try ping(on: channel))
            channel.embeddedEventLoop.advanceTime(by: timeout)
        }
        let allTimedOut = commands.allSatisfy { $0.timedOut }
        #expect(allTimedOut)
        #expect(channel.isActive, "closed after a count of timeouts, before the allowance ended")
        channel.embeddedEventLoop.advanceTime(by: allowance - .milliseconds(200))
        #expect(!channel.isActive)
        _ = try? channel.finish()
    }

    /// Slow, not silent: the timed-out command's late reply arrives within the allowance (a slow script, a
    /// short `CLIENT PAUSE`), so the connection stays and serves the next command.
    @Test func aLateReplyWithinTheAllowanceKeepsTheConnection() throws {
        let channel = try makeConnectedChannel()
        let late = try ping(on: channel)
        channel.embeddedEventLoop.advanceTime(by: timeout)
        #expect(late.timedOut)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(250))
        try channel.writeInbound(ByteBuffer(string: "+PONG\r\n"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(channel.isActive, "a connection that answered late was closed")
        let next = try ping(on: channel)
        try channel.writeInbound(ByteBuffer(string: "+PONG\r\n"))
        #expect(try next.result?.get() == .simpleString("PONG"))
        _ = try? channel.finish()
    }

    /// A slow command (DEBUG SLEEP 1) times out, and a command queued behind it with a 5 s timeout waits for its
    /// reply: the connection is kept while that command's caller still waits, and closed once it has timed out
    /// too and the silence has lasted as long as its timeout.
    @Test func aCommandWithinItsOwnLongerTimeoutKeepsTheConnectionUntilItTimesOut() throws {
        let channel = try makeConnectedChannel()
        let slow = try ping(on: channel)
        let patient = try ping(on: channel, timeout: .seconds(5))
        channel.embeddedEventLoop.advanceTime(by: timeout)
        #expect(slow.timedOut)
        channel.embeddedEventLoop.advanceTime(by: .seconds(5) - timeout - .milliseconds(1))
        #expect(channel.isActive, "closed while a command was still within its own timeout")
        #expect(patient.result == nil)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(patient.timedOut)
        // Its 5 s is also how long the silence may last, counted from the first timeout.
        channel.embeddedEventLoop.advanceTime(by: timeout)
        #expect(!channel.isActive, "still open after every command timed out and the silence had lasted 5 s")
        _ = try? channel.finish()
    }
}
