/// The one fault a proxy applies at a time (toxiproxy's toxics, reduced to what the chaos scenarios need).
/// Which direction each touches is here and nowhere else: latency holds replies only (what a slow data store
/// looks like to its client), bandwidth paces both directions, each on its own budget.
public enum Fault: Sendable, Equatable {
    case none
    /// Each chunk of a reply is held `millis` ± `jitterMillis` (uniform, never below 0); order is kept.
    case latency(millis: Double, jitterMillis: Double)
    /// The listener closes, so new connections are refused; open ones are reset.
    case down
    /// Connections are accepted and open ones kept, but nothing is forwarded either way until it clears.
    case blackhole
    /// Open and new connections are reset (RST: SO_LINGER 0).
    case resetPeer
    /// When one side closes, the close reaches the other side `millis` later.
    case slowClose(millis: Double)
    /// Each direction is written at most `kibPerSecond` KiB per second.
    case bandwidth(kibPerSecond: Double)

    public var name: String {
        switch self {
        case .none: "none"
        case .latency: "latency"
        case .down: "down"
        case .blackhole: "blackhole"
        case .resetPeer: "reset-peer"
        case .slowClose: "slow-close"
        case .bandwidth: "bandwidth"
        }
    }

    /// Whether a chunk read in this direction may be written on at once (no queue ahead of it either).
    public func forwardsAtOnce(_ direction: Direction) -> Bool {
        switch self {
        case .none, .down, .resetPeer, .slowClose: true
        case .latency: direction == .requests
        case .blackhole, .bandwidth: false
        }
    }

    /// The hold of one chunk in this direction; `unit` is a uniform random number in [-1, 1] (jitter's share).
    public func holdNanos(_ direction: Direction, unit: Double) -> UInt64 {
        guard case .latency(let millis, let jitter) = self, direction == .replies else { return 0 }
        let clampedUnit = min(1, max(-1, unit))
        return UInt64((max(0, millis + clampedUnit * jitter) * 1_000_000).rounded())
    }

    public var closeDelayNanos: UInt64 {
        guard case .slowClose(let millis) = self else { return 0 }
        return UInt64((millis * 1_000_000).rounded())
    }

    public var bytesPerSecond: Double? {
        guard case .bandwidth(let kib) = self else { return nil }
        return kib * 1024
    }

    public var stopsForwarding: Bool { self == .blackhole }
}

/// The two directions of a proxied connection: what the client sends and what the data store answers.
public enum Direction: Sendable, Equatable {
    case requests
    case replies
}
