#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix

extension ClientBootstrap {
    /// TCP keepalive with short intervals, and a bound on unacknowledged data: a connection whose peer vanished
    /// without a word (Redis replaced behind the same address, a dropped NAT entry) is closed by the kernel
    /// within some 11 s even while it is idle, as the pub/sub connection usually is; a connection with a command
    /// that timed out is retired half a second later if nothing at all comes back (`SilentConnectionRule`).
    func keepingAliveBriefly() -> ClientBootstrap {
        #if os(Linux)
        self.channelOption(.socketOption(.so_keepalive), value: 1)
            // First probe after 5 s of silence, then every 2 s; 3 unanswered probes close the connection.
            .channelOption(Self.tcpOption(TCP_KEEPIDLE), value: 5)
            .channelOption(Self.tcpOption(TCP_KEEPINTVL), value: 2)
            .channelOption(Self.tcpOption(TCP_KEEPCNT), value: 3)
            // Data sent and not acknowledged for 11 s also closes it (keepalive probes only an idle connection).
            .channelOption(Self.tcpOption(TCP_USER_TIMEOUT), value: 11_000)
        #else
        self.channelOption(.socketOption(.so_keepalive), value: 1)
        #endif
    }

    private static func tcpOption(_ name: CInt) -> ChannelOptions.Types.SocketOption {
        ChannelOptions.Types.SocketOption(level: .tcp, name: NIOBSDSocket.Option(rawValue: name))
    }
}
