import HummingbirdCore
import NIOCore

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1 server with `ConnectionGuardHandler` beside its codec and its own idle timeout
    /// for kept-alive connections; each server built from it counts its own connections.
    static func guardedHTTP1(_ limits: ConnectionLimits) -> HTTPServerBuilder {
        let openConnections = OpenConnections()
        return .http1(configuration: .init(
            additionalChannelHandlers: [ConnectionGuardHandler(limits: limits, openConnections: openConnections)],
            idleTimeout: TimeAmount(limits.idleTimeout)))
    }
}
