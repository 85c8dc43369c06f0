import FXFaultCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// The control port: HTTP/1.1 on 127.0.0.1, one request per connection (`Connection: close`), a JSON body.
public enum ControlServer {
    public static func start(port: Int, proxies: [FaultProxy], on eventLoop: any EventLoop) async throws -> any Channel {
        let control = Control(proxies: proxies)
        return try await ServerBootstrap(group: eventLoop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.eventLoop.makeCompletedFuture {
                        // A client that sends nothing for 5 s is dropped: a control request is one short line.
                        try channel.pipeline.syncOperations.addHandlers(
                            IdleStateHandler(readTimeout: .seconds(5)), ControlHandler(control: control))
                    }
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
    }
}

/// What a control request does, away from the event loop of any one proxy.
struct Control: Sendable {
    let proxies: [FaultProxy]

    func respond(to target: String) async -> (status: HTTPResponseStatus, body: String) {
        let names = Set(proxies.map(\.spec.name))
        do {
            switch try ControlRequest(target: target, proxies: names) {
            case .status:
                var statuses: [StatusJSON.ProxyStatus] = []
                for proxy in proxies { statuses.append(try await proxy.status()) }
                return (.ok, StatusJSON.status(statuses))
            case .apply(let name, let fault):
                guard let proxy = proxies.first(where: { $0.spec.name == name }) else {
                    return (.notFound, StatusJSON.error("no proxy \(name)"))
                }
                try await proxy.apply(fault)
                log("\(name): \(StatusJSON.fault(fault))")
                return (.ok, StatusJSON.applied(proxy: name, fault: fault))
            }
        } catch let rejection as ControlRequest.Rejection {
            return (HTTPResponseStatus(statusCode: rejection.status), StatusJSON.error(rejection.message))
        } catch {
            // The fault is set, but the listener could not be opened again (its port taken meanwhile).
            return (.internalServerError, StatusJSON.error("\(error)"))
        }
    }
}

final class ControlHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let control: Control
    private var target: String?

    init(control: Control) { self.control = control }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            target = head.uri
        case .body:
            break
        case .end:
            guard let target else { return }
            self.target = nil
            let control = control
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let promise = context.eventLoop.makePromise(of: (status: HTTPResponseStatus, body: String).self)
            promise.completeWithTask { await control.respond(to: target) }
            promise.futureResult.whenSuccess { response in
                let (handler, context) = bound.value
                handler.send(response.status, response.body, context: context)
            }
        }
    }

    private func send(_ status: HTTPResponseStatus, _ body: String, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent { context.close(promise: nil) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
