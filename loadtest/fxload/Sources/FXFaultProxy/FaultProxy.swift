import FXFaultCore
import NIOCore

/// A fault proxy for one `NAME=LISTEN:UPSTREAM`: its state lives on one event loop (the one it was started
/// on); this handle may be used from anywhere.
public final class FaultProxy: Sendable {
    public let spec: ProxySpec
    private let eventLoop: any EventLoop
    private let state: NIOLoopBound<ProxyState>

    private init(state: ProxyState) {
        spec = state.spec
        eventLoop = state.eventLoop
        self.state = NIOLoopBound(state, eventLoop: state.eventLoop)
    }

    /// Listens on 127.0.0.1:LISTEN; fails if the port is taken.
    public static func start(_ spec: ProxySpec, on eventLoop: any EventLoop, maxConnections: Int) async throws -> FaultProxy {
        try await eventLoop.flatSubmit {
            let state = ProxyState(spec: spec, eventLoop: eventLoop, maxConnections: maxConnections)
            let proxy = FaultProxy(state: state)
            return state.reconcileListening().map { proxy }
        }.get()
    }

    /// Switches the fault; returns once the listener is as the fault wants it.
    public func apply(_ fault: Fault) async throws {
        try await eventLoop.flatSubmit { [state] in state.value.apply(fault) }.get()
    }

    public func status() async throws -> StatusJSON.ProxyStatus {
        try await eventLoop.submit { [state] in state.value.status }.get()
    }

    /// Closes the listener and every open connection.
    public func shutdown() async throws {
        try await eventLoop.flatSubmit { [state] in state.value.shutdown() }.get()
    }
}
