import NIOCore
import NIOPosix
import Foundation

/// Loopback ports for the tests whose servers must know each other's ports before they start (sentinels name
/// their primary's). CI uses 46420–46439; `FX_TEST_HA_PORT_BASE` moves the block, e.g. beside another checkout.
public enum TestPorts {
    public static var base: Int {
        ProcessInfo.processInfo.environment["FX_TEST_HA_PORT_BASE"].flatMap { Int($0) } ?? 46420
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
