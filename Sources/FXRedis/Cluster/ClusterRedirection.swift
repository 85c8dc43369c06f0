/// An error reply that tells a cluster client to look elsewhere, parsed from its text.
enum ClusterRedirection: Equatable, Sendable {
    /// `MOVED slot host:port`: the slot lives there now; update the map and resend there.
    case moved(slot: Int, to: RedisEndpoint)
    /// `ASK slot host:port`: this one command goes there, after `ASKING`; the map stays.
    case ask(slot: Int, to: RedisEndpoint)
    /// `TRYAGAIN`: a multi-key command during a slot's migration; resend shortly.
    case tryAgain
    /// `CLUSTERDOWN`: the cluster has no owner for the slot right now (a failover is underway).
    case clusterDown

    /// Parses `message`, an error reply's text. An empty host (`MOVED 3999 :6380`, a node that does not know
    /// its own address) means the host of the node that answered, `replyingHost`.
    init?(parsing message: String, replyingHost: String) {
        let words = message.split(separator: " ", omittingEmptySubsequences: true)
        guard let kind = words.first else { return nil }
        switch kind {
        case "TRYAGAIN": self = .tryAgain; return
        case "CLUSTERDOWN": self = .clusterDown; return
        case "MOVED", "ASK": break
        default: return nil
        }
        guard words.count == 3, let slot = Int(words[1]), (0..<ClusterKeySlot.slotCount).contains(slot),
              let endpoint = Self.endpoint(words[2], replyingHost: replyingHost)
        else { return nil }
        self = kind == "MOVED" ? .moved(slot: slot, to: endpoint) : .ask(slot: slot, to: endpoint)
    }

    private static func endpoint(_ text: Substring, replyingHost: String) -> RedisEndpoint? {
        guard let colon = text.lastIndex(of: ":"),
              let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port)
        else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        return RedisEndpoint(host: host.isEmpty ? replyingHost : String(host), port: port)
    }
}

/// What the cluster client does with a command's failure: a pure decision, so it is tested without a cluster.
enum ClusterRedirectDecision: Equatable, Sendable {
    /// Not a redirection, or one too many: the command fails with its error.
    case fail
    /// Update the slot map (and refresh it), then resend to `endpoint`.
    case resendMoved(slot: Int, to: RedisEndpoint)
    /// Send `ASKING` and then the command to `endpoint`, once; the map stays.
    case resendAsking(to: RedisEndpoint)
    /// Refresh the map and resend to the slot's owner after a short pause.
    case retryLater

    /// Redirections a command follows before it fails: a slot moves once per migration, so more means a
    /// loop between nodes whose maps disagree.
    static let maximumRedirections = 5

    static func decide(_ error: any Error, replyingHost: String, redirections: Int) -> ClusterRedirectDecision {
        guard case .server(let message)? = error as? RedisError,
              let redirection = ClusterRedirection(parsing: message, replyingHost: replyingHost),
              redirections < maximumRedirections
        else { return .fail }
        switch redirection {
        case .moved(let slot, let endpoint): return .resendMoved(slot: slot, to: endpoint)
        case .ask(_, let endpoint): return .resendAsking(to: endpoint)
        case .tryAgain, .clusterDown: return .retryLater
        }
    }
}
