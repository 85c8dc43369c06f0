import Hummingbird

/// The bucket a request counts in when it counts per client address: the client's address as the trusted
/// proxies report it, an IPv6 client grouped with its network of `FX_IPV6_PREFIX` bits.
struct ClientAddressBuckets: Sendable {
    let trustedProxies: TrustedProxies
    let ipv6PrefixLength: Int

    /// `ip:<IPv4 address>` or `ip:<IPv6 network>/<length>` (`ip:<IPv6 address>` at 128): an address
    /// literal of at most 43 characters, so a limiter key is bounded without hashing. `ip:unknown` where
    /// there is no socket (router tests).
    /// - Throws: a 400 problem when the `X-Forwarded-For` hop that decides is not an address
    ///   (``TrustedProxies/clientAddress(peer:forwardedFor:)`` says why).
    func bucket(of request: Request, context: FXRequestContext) throws(Problem) -> String {
        guard let peer = context.peer else { return "ip:unknown" }
        let forwardedFor = trustedProxies.trustsAnyProxy ? request.headers[values: .xForwardedFor] : []
        guard let client = trustedProxies.clientAddress(peer: peer, forwardedFor: forwardedFor) else {
            throw Problem.unreadableForwardedFor
        }
        return "ip:" + client.bucket(ipv6PrefixLength: ipv6PrefixLength)
    }
}

extension Problem {
    static let unreadableForwardedFor = Problem(
        status: .badRequest,
        detail: "X-Forwarded-For from a trusted proxy has a hop that is not an IP address (a.b.c.d, a.b.c.d:port, "
            + "an IPv6 address, [v6] or [v6]:port), so the client cannot be told apart")
}
