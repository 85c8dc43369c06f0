import NIOCore
import NIOPosix
import Synchronization

/// A TCP connection to a live server that sends exactly the bytes a test gives it, half a request head
/// included, and keeps everything the server sends back.
struct RawConnection: Sendable {
    let channel: any Channel
    private let received: ReceivedBytes

    /// - Parameter first: written as soon as the connection is up, on its event loop, so that a loaded
    ///   machine cannot delay it past a short header timeout between the connect and a later `send`.
    static func open(port: Int, sending first: String) async throws -> RawConnection {
        let received = ReceivedBytes()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(received) }
            }
            .connect(host: "127.0.0.1", port: port)
            .flatMap { channel in channel.writeAndFlush(ByteBuffer(string: first)).map { channel } }
            .get()
        return RawConnection(channel: channel, received: received)
    }

    /// A whole request on a fresh connection that asks to be closed after it; the response's text.
    static func exchange(port: Int, _ target: String) async throws -> String {
        let connection = try await open(
            port: port, sending: "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        guard await connection.isClosed(within: .seconds(10)) else { return "" }
        return connection.text
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// What the server sent so far, as text.
    var text: String {
        received.text
    }

    /// How long the connection stayed open after the server's last bytes, once it is closed.
    var openAfterLastRead: Duration? {
        let (lastRead, closed) = received.lastReadAndClose
        guard let lastRead, let closed else { return nil }
        return closed - lastRead
    }

    var isActive: Bool {
        channel.isActive
    }

    /// Whether the server closed the connection within `duration`; if not, this side closes it.
    func isClosed(within duration: Duration) async -> Bool {
        let timeout = channel.eventLoop.scheduleTask(in: TimeAmount(duration)) { [channel] in
            channel.close(promise: nil)
        }
        try? await channel.closeFuture.get()
        timeout.cancel()
        // The task's future succeeds only if it ran, that is if this side had to close.
        return (try? await timeout.futureResult.get()) == nil
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// The status code of an HTTP/1.1 response's text, or nil before a status line.
func statusCode(of response: String) -> Int? {
    guard response.hasPrefix("HTTP/1.1 ") else { return nil }
    return Int(response.dropFirst(9).prefix(3))
}

private final class ReceivedBytes: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private struct State {
        var bytes: [UInt8] = []
        var lastRead: ContinuousClock.Instant?
        var closed: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    var text: String {
        String(decoding: state.withLock { $0.bytes }, as: UTF8.self)
    }

    /// When the last bytes and the end of the connection arrived, taken on the event loop, so that a test
    /// task that runs late on a loaded machine does not stretch or shrink the time between them.
    var lastReadAndClose: (ContinuousClock.Instant?, ContinuousClock.Instant?) {
        state.withLock { ($0.lastRead, $0.closed) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        state.withLock {
            $0.bytes += buffer.readableBytesView
            $0.lastRead = .now
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.withLock { $0.closed = .now }
        context.fireChannelInactive()
    }
}
