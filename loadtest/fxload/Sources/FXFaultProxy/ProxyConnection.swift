import FXFaultCore
import NIOCore
import NIOPosix

/// A client's connection and the upstream connection made for it, on the proxy's event loop (one loop per
/// proxy, so nothing here is shared across threads). Reading from the client waits until the upstream is
/// connected; a close on one side reaches the other after the data before it (a half close stays one).
final class ProxyConnection {
    private let proxy: ProxyState
    private(set) var requests: Forwarder!
    private(set) var replies: Forwarder!
    private var client: SideHandler?
    private var upstream: SideHandler?
    private var upstreamConnecting = false
    private var clientGone = false
    private var upstreamGone = false

    init(proxy: ProxyState) {
        self.proxy = proxy
        requests = Forwarder(direction: .requests, connection: self)
        replies = Forwarder(direction: .replies, connection: self)
    }

    var fault: Fault { proxy.faultSwitch.fault }

    func makeClientHandler() -> SideHandler {
        let handler = SideHandler(side: .client, connection: self)
        client = handler
        requests.source = handler
        replies.sink = handler
        return handler
    }

    func mayRead(from side: SideHandler.Side) -> Bool {
        switch side {
        case .client: requests.mayRead
        case .upstream: replies.mayRead
        }
    }

    func active(_ side: SideHandler.Side) {
        if side == .upstream {
            // Requests flow from now on: the client's first read was held back until here.
            requests.sink = upstream
            requests.deliver()
            client?.resumeReading()
            return
        }
        guard !upstreamConnecting, upstream == nil else { return }
        upstreamConnecting = true
        let bound = NIOLoopBound(self, eventLoop: proxy.eventLoop)
        ClientBootstrap(group: proxy.eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(bound.value.makeUpstreamHandler())
                }
            }
            .connect(host: "127.0.0.1", port: proxy.spec.upstreamPort)
            .assumeIsolated()
            .whenComplete { [self] result in
                upstreamConnecting = false
                switch result {
                case .success(let channel):
                    if clientGone { channel.close(promise: nil) }
                case .failure:
                    // The upstream refuses: so does the proxy, as far as the client can tell.
                    upstream = nil
                    upstreamGone = true
                    if let channel = client?.channel { closeWithReset(channel) }
                    removeIfOver()
                }
            }
    }

    private func makeUpstreamHandler() -> SideHandler {
        let handler = SideHandler(side: .upstream, connection: self)
        upstream = handler
        replies.source = handler
        return handler
    }

    func received(_ buffer: ByteBuffer, from side: SideHandler.Side) {
        forwarder(from: side).received(buffer)
    }

    func readComplete(from side: SideHandler.Side) {
        forwarder(from: side).readComplete()
    }

    func writabilityChanged(_ side: SideHandler.Side) {
        // The sink that drained is this side: deliver what is held for it, and read from the other side again.
        let toThisSide = forwarder(into: side)
        toThisSide.deliver()
        toThisSide.source?.resumeReading()
    }

    func inputClosed(_ side: SideHandler.Side) {
        forwarder(from: side).end(full: false)
    }

    /// A side is gone (closed, reset or failed). What was held for it is dropped; the other side is closed
    /// after what is held for it (and after slow-close's delay).
    func inactive(_ side: SideHandler.Side) {
        switch side {
        case .client:
            guard !clientGone else { return }
            clientGone = true
            client = nil
        case .upstream:
            guard !upstreamGone else { return }
            upstreamGone = true
            upstream = nil
        }
        forwarder(into: side).sinkGone()
        let outgoing = forwarder(from: side)
        outgoing.end(full: true)
        outgoing.source = nil
        removeIfOver()
    }

    private func removeIfOver() {
        if clientGone && (upstreamGone || (upstream == nil && !upstreamConnecting)) {
            proxy.remove(self)
        }
    }

    /// Both directions ended cleanly (each half closed): the connection is over.
    func directionFinished() {
        guard requests.finished, replies.finished else { return }
        close()
    }

    /// The fault changed: held data may be due now, and reads may resume (after a blackhole).
    func faultChanged() {
        requests.deliver()
        replies.deliver()
        client?.resumeReading()
        upstream?.resumeReading()
    }

    func reset() {
        for channel in [client?.channel, upstream?.channel].compactMap({ $0 }) { closeWithReset(channel) }
    }

    func close() {
        for channel in [client?.channel, upstream?.channel].compactMap({ $0 }) { channel.close(promise: nil) }
    }

    private func forwarder(from side: SideHandler.Side) -> Forwarder {
        side == .client ? requests : replies
    }

    private func forwarder(into side: SideHandler.Side) -> Forwarder {
        side == .client ? replies : requests
    }
}
