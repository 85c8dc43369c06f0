import FXFaultCore
import FXFaultProxy
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real echo server on 127.0.0.1 (it half-closes after its client does) with a fault proxy in front, and
/// clients on real sockets. Each test passes its own listen port (25110–25199), so suites can run in parallel.
struct ProxyHarness {
    enum Ending: Equatable {
        case gotAll
        case endOfStream
        case reset
        case timedOut
        case failed(String)
    }

    struct Reading {
        var bytes: [UInt8] = []
        var ending: Ending
        var seconds: Double
    }

    typealias Client = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    let group: MultiThreadedEventLoopGroup
    let proxy: FaultProxy
    let listenPort: Int

    static func with<T>(
        listenPort: Int, maxConnections: Int = 64, _ body: (ProxyHarness) async throws -> T
    ) async throws -> T {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let echo = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Echo()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let spec = ProxySpec(name: "echo", listenPort: listenPort, upstreamPort: echo.localAddress?.port ?? 0)
        let proxy = try await FaultProxy.start(spec, on: group.next(), maxConnections: maxConnections)
        let harness = ProxyHarness(group: group, proxy: proxy, listenPort: listenPort)
        do {
            let result = try await body(harness)
            try await proxy.shutdown()
            try await echo.close()
            try await group.shutdownGracefully()
            return result
        } catch {
            try? await proxy.shutdown()
            try? await echo.close()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    func connect() async throws -> Client {
        try await ClientBootstrap(group: group)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: listenPort)) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Client(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
    }

    struct NoRoundTrip: Error {}

    typealias Replies = NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator

    /// A connection through the proxy that has carried one round trip (so its upstream side is connected),
    /// handed to `body`. Closing it afterwards may fail when a fault has reset it; that is not an error.
    func withEstablished(
        _ body: (inout Replies, NIOAsyncChannelOutboundWriter<ByteBuffer>, Client) async throws -> Void
    ) async throws {
        let client = try await connect()
        var finished = false
        do {
            try await client.executeThenClose { inbound, outbound in
                var replies = inbound.makeAsyncIterator()
                try await outbound.write(ByteBuffer(string: "ping"))
                guard await Self.read(4, from: &replies, of: client, timeout: .seconds(10)).ending == .gotAll else {
                    throw NoRoundTrip()
                }
                try await body(&replies, outbound, client)
                finished = true
            }
        } catch {
            if !finished { throw error }
        }
    }

    /// How a new connection that sends nothing ends: a reset may come before the client's connect completes
    /// (NIO reports it as the connect's error) or after, on the first read.
    func firstEnding(timeout: TimeAmount) async throws -> Ending {
        let client: Client
        do {
            client = try await connect()
        } catch {
            guard Self.errno(of: error) == ECONNRESET else { throw error }
            return .reset
        }
        var ending = Ending.failed("not read")
        // Closing a channel that was reset may fail; how it ended is what counts.
        try? await client.executeThenClose { inbound, _ in
            var replies = inbound.makeAsyncIterator()
            ending = await Self.read(1, from: &replies, of: client, timeout: timeout).ending
        }
        return ending
    }

    /// The errno a failed connect or read ended with.
    static func errno(of error: any Error) -> Int32? {
        if let error = error as? IOError { return error.errnoCode }
        if let error = error as? NIOConnectionError { return error.connectionErrors.compactMap { errno(of: $0.error) }.first }
        return nil
    }

    /// Reads until `count` bytes have come, the stream ends or fails, or `timeout` passes (the client is
    /// closed then, so that the read returns).
    static func read(
        _ count: Int, from inbound: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, of client: Client, timeout: TimeAmount
    ) async -> Reading {
        let start = NIODeadline.now()
        let timer = client.channel.eventLoop.scheduleTask(in: timeout) { client.channel.close(promise: nil) }
        defer { timer.cancel() }
        var reading = Reading(ending: .gotAll, seconds: 0)
        do {
            while reading.bytes.count < count {
                guard var chunk = try await inbound.next() else {
                    reading.ending = NIODeadline.now() - start >= timeout ? .timedOut : .endOfStream
                    break
                }
                reading.bytes += chunk.readBytes(length: chunk.readableBytes) ?? []
            }
        } catch {
            if errno(of: error) == ECONNRESET {
                reading.ending = .reset
            } else if NIODeadline.now() - start >= timeout {
                reading.ending = .timedOut
            } else {
                reading.ending = .failed("\(error)")
            }
        }
        reading.seconds = Double((NIODeadline.now() - start).nanoseconds) / 1e9
        return reading
    }

    static func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
    }
}

/// Writes back what it reads; when its client half-closes, it half-closes too.
final class Echo: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event { context.close(mode: .output, promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
