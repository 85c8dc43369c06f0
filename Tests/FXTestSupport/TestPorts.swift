import NIOCore
import NIOPosix
import Foundation

/// Loopback ports for the tests whose servers must know each other's ports before they start (sentinels name
/// their primary's). CI uses 24420–24439, below Linux's ephemeral range
/// (32768–60999): a fixed port in it was once taken, between the check below and the server's bind, by a parallel
/// test's outgoing connection, and a sentinel exited. `FX_TEST_HA_PORT_BASE` moves the block.
public enum TestPorts {
    public static var base: Int {
        ProcessInfo.processInfo.environment["FX_TEST_HA_PORT_BASE"].flatMap { Int($0) } ?? 24420
    }

    /// Primary, replica and three sentinels: offsets 0 to 4.
    public static let sentinelGroup = 0
    /// TLS servers: offset 10.
    public static let tls = 10

    /// `base + offset` when a server can listen there now, else a free port the kernel picks. A fixed port can
    /// be unusable for a minute: the block lies in Linux's ephemeral range (32768–60999), so any outgoing
    /// connection may have had it as its local port and hold it in TIME_WAIT, which refuses a listener.
    public static func port(_ offset: Int) async throws -> Int {
        let fixed = base + offset
        if let channel = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: fixed).get()
        {
            try? await channel.close()
            return fixed
        }
        return try await RedisServerProcess.freePort()
    }
}
