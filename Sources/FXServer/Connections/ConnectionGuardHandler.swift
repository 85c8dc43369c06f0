import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Bounds what one HTTP/1 connection can hold, beside the HTTP codec (Hummingbird puts it right after
/// the decoder, so it sees parsed request parts and every response part the application writes):
///
/// - the request head must arrive within `headerTimeout` (`RequestHeadTimer`), or the connection is
///   closed; a handler that takes long after the head is not cut;
/// - past `maxConnections` open connections of this server, a request is answered with a 503 problem
///   and `Connection: close` without reaching the application, except the probes `/health` and `/ready`,
///   which are answered as always (then the connection closes), so the kubelet does not restart a
///   replica for being busy.
///
/// A connection past the cap is still accepted and read, rather than left in the listen backlog, so that
/// the probes get through and a flood costs each of its sockets no more than the header timeout.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private let openConnections: OpenConnections
    private var timer = RequestHeadTimer()
    private var scheduledTimeout: Scheduled<Void>?
    private var isCounted = false
    private var isPastCap = false
    /// A 503 was written: whatever else the client sends is dropped until the connection closes.
    private var isRefusing = false
    /// A probe past the cap: its response carries `Connection: close` and the connection closes after it.
    private var closesAfterResponse = false

    init(limits: ConnectionLimits, openConnections: OpenConnections) {
        self.limits = limits
        self.openConnections = openConnections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        isCounted = true
        isPastCap = openConnections.opened() > limits.maxConnections
        if context.channel.isActive { apply(timer.connectionOpened(), context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        apply(timer.connectionClosed(), context: context)
        if isCounted {
            isCounted = false
            openConnections.closed()
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        apply(timer.connectionOpened(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        apply(timer.connectionClosed(), context: context)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isRefusing else { return }
        if case .head(let head) = unwrapInboundIn(data) {
            apply(timer.headReceived(), context: context)
            if isPastCap {
                guard Self.isProbe(head.path) else { return refuse(head, context: context) }
                closesAfterResponse = true
            }
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        apply(timer.bytesArrived(), context: context)
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response) where closesAfterResponse:
            response.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(response)), promise: promise)
        case .end where closesAfterResponse:
            _ = timer.responseFinished()
            writeAndClose(data, context: context, promise: promise)
        case .end:
            apply(timer.responseFinished(), context: context)
            context.write(data, promise: promise)
        case .head, .body:
            context.write(data, promise: promise)
        }
    }

    /// The 503 of a connection past the cap, written here, so the application never sees the request.
    private func refuse(_ head: HTTPRequest, context: ChannelHandlerContext) {
        isRefusing = true
        apply(timer.connectionClosed(), context: context)
        let problem = Problem.tooManyConnections
        let body = JSONBody.encode(problem.json)
        var fields = problem.headers
        fields[.contentType] = MediaType.problemJSON
        fields[.contentLength] = String(body.readableBytes)
        fields[.connection] = "close"
        fields[.requestID] = RequestID.accepting(head.headerFields[.requestID]) ?? RequestID.generate()
        context.write(wrapOutboundOut(.head(HTTPResponse(status: problem.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        writeAndClose(wrapOutboundOut(.end(nil)), context: context, promise: nil)
    }

    /// Closes once `data` is written, so the client reads the whole response before the connection ends.
    private func writeAndClose(_ data: NIOAny, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(data, promise: written)
        written.futureResult.assumeIsolated().whenComplete { result in
            promise?.completeWith(result)
            context.close(promise: nil)
        }
    }

    private func apply(_ action: RequestHeadTimer.Action, context: ChannelHandlerContext) {
        switch action {
        case .startTimer:
            scheduledTimeout?.cancel()
            scheduledTimeout = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limits.headerTimeout)) {
                self.scheduledTimeout = nil
                self.apply(self.timer.timerFired(), context: context)
            }
        case .cancelTimer:
            scheduledTimeout?.cancel()
            scheduledTimeout = nil
        case .close:
            context.close(promise: nil)
        case .none:
            break
        }
    }

    /// `/health` and `/ready`, with or without a query.
    private static func isProbe(_ target: String?) -> Bool {
        guard let target else { return false }
        let path = target.prefix { $0 != "?" }
        return Endpoint.allCases.contains { $0.isProbe && $0.path == path }
    }
}
