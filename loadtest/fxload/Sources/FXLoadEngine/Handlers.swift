import NIOCore
import NIOHTTP1

/// Sits at the head of the pipeline so that request bytes, rendered ahead of time, go straight to the
/// socket. HTTPResponseDecoder must see a request head for every response it parses (it refuses an
/// unsolicited one and needs the method for HEAD), so each request also sends it a shared `GET` head, which
/// this handler swallows after the decoder has observed it.
final class RequestWriter: ChannelOutboundHandler {
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = ByteBuffer
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        promise?.succeed()
    }

    func write(_ buffer: ByteBuffer) {
        guard let context else { return }
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }
}

/// Turns decoded response parts into one event per complete response; bodies are read and dropped.
final class ResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    private static let observedHead = HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/"))
    private let connection: Connection
    private var context: ChannelHandlerContext?
    private var status = 0
    private var keepAlive = true

    init(connection: Connection) { self.connection = connection }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Lets the decoder know one more response is due (see RequestWriter).
    func announceRequest() {
        context?.write(NIOAny(Self.observedHead), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            keepAlive = head.isKeepAlive
        case .body:
            break
        case .end:
            connection.responseComplete(status: status, keepAlive: keepAlive, on: context.channel)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.closed(context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        connection.failed(error, on: context.channel)
        context.close(promise: nil)
    }
}
