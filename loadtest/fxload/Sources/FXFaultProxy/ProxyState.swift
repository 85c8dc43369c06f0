import FXFaultCore
import NIOCore
import NIOPosix

/// A proxy's listener, fault and open connections, confined to its event loop.
final class ProxyState {
    let spec: ProxySpec
    let eventLoop: any EventLoop
    private(set) var faultSwitch: FaultSwitch
    private var wantsListening = true
    private var server: (any Channel)?
    /// A bind or a close of the listener under way; the next switch waits for it.
    private var transition: EventLoopFuture<Void>?
    private var connections: [ObjectIdentifier: ProxyConnection] = [:]
    private var accepted = 0
    private var refused = 0

    init(spec: ProxySpec, eventLoop: any EventLoop, maxConnections: Int) {
        self.spec = spec
        self.eventLoop = eventLoop
        faultSwitch = FaultSwitch(maxConnections: maxConnections)
    }

    var status: StatusJSON.ProxyStatus {
        StatusJSON.ProxyStatus(
            spec: spec, fault: faultSwitch.fault, listening: server != nil, open: connections.count, accepted: accepted,
            refused: refused)
    }

    /// Completes once the listener is as the fault wants it (after `down`, the port refuses).
    func apply(_ fault: Fault) -> EventLoopFuture<Void> {
        let effects = faultSwitch.apply(fault)
        wantsListening = effects.listening
        for connection in connections.values {
            if effects.resetOpenConnections { connection.reset() } else { connection.faultChanged() }
        }
        return reconcileListening()
    }

    func shutdown() -> EventLoopFuture<Void> {
        wantsListening = false
        for connection in connections.values { connection.close() }
        return reconcileListening()
    }

    func reconcileListening() -> EventLoopFuture<Void> {
        if let transition {
            return transition.assumeIsolated().flatMapError { _ in self.eventLoop.makeSucceededVoidFuture() }
                .flatMap { self.reconcileListening() }.nonisolated()
        }
        let step: EventLoopFuture<Void>
        if wantsListening, server == nil {
            step = bind().assumeIsolated().map { self.server = $0 }.nonisolated()
        } else if !wantsListening, let server {
            self.server = nil
            step = server.close()
        } else {
            return eventLoop.makeSucceededVoidFuture()
        }
        transition = step
        return step.assumeIsolated().always { _ in self.transition = nil }.flatMap { self.reconcileListening() }
            .nonisolated()
    }

    private func bind() -> EventLoopFuture<any Channel> {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        return ServerBootstrap(group: eventLoop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 512)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try bound.value.accept(channel) }
            }
            .bind(host: "127.0.0.1", port: spec.listenPort)
    }

    private func accept(_ channel: any Channel) throws {
        accepted += 1
        switch faultSwitch.admit(open: connections.count) {
        case .reset:
            refused += 1
            try channel.pipeline.syncOperations.addHandler(ResetOnActive())
        case .forward:
            let connection = ProxyConnection(proxy: self)
            connections[ObjectIdentifier(connection)] = connection
            try channel.pipeline.syncOperations.addHandler(connection.makeClientHandler())
        }
    }

    func remove(_ connection: ProxyConnection) {
        connections[ObjectIdentifier(connection)] = nil
    }
}
