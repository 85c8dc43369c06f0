#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import NIOCore

/// One side of a proxied connection (the client's socket or the upstream's), the only handler in its
/// pipeline. It hands what it reads to the connection and lets a read through only when the connection
/// can take more: that, with NIO's writability, is the backpressure that bounds every buffer.
final class SideHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Side { case client, upstream }

    let side: Side
    private let connection: ProxyConnection
    private var context: ChannelHandlerContext?
    private var readPending = false

    init(side: Side, connection: ProxyConnection) {
        self.side = side
        self.connection = connection
    }

    var channel: (any Channel)? { context?.channel }
    var isWritable: Bool { context?.channel.isWritable ?? false }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func write(_ buffer: ByteBuffer) {
        context?.write(wrapOutboundOut(buffer), promise: nil)
    }

    func flush() {
        context?.flush()
    }

    /// Lets a withheld read through once the connection can take more.
    func resumeReading() {
        guard readPending, let context, connection.mayRead(from: side) else { return }
        readPending = false
        context.read()
    }

    // MARK: events

    func read(context: ChannelHandlerContext) {
        if connection.mayRead(from: side) {
            context.read()
        } else {
            readPending = true
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        connection.active(side)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connection.received(unwrapInboundIn(data), from: side)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        connection.readComplete(from: side)
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        connection.writabilityChanged(side)
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event { connection.inputClosed(side) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.inactive(side)
        context.fireChannelInactive()
    }

    /// A reset or any other socket error ends this side; channelInactive follows and closes the other.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Refuses a connection the fault or the connection limit will not forward: a reset as soon as it is active.
final class ResetOnActive: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        closeWithReset(context.channel)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}

/// Closes with SO_LINGER 0, so the peer gets an RST (ECONNRESET), not a FIN.
func closeWithReset(_ channel: any Channel) {
    guard let options = channel as? any SocketOptionProvider else {
        channel.close(promise: nil)
        return
    }
    options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
}
