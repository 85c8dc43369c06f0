/// A proxy's fault as a small state machine: what switching to a fault does to the listener and to the open
/// connections, and whether a new connection is forwarded. The engine carries out the effects; this decides.
public struct FaultSwitch: Sendable, Equatable {
    public struct Effects: Sendable, Equatable {
        /// Whether the listener must be open once the switch is done (`down` closes it, anything else opens it).
        public var listening: Bool
        /// Whether every open connection is reset (`down`, `reset-peer`).
        public var resetOpenConnections: Bool
    }

    public enum Admission: Sendable, Equatable {
        case forward
        /// Reset at once: the fault refuses it, or the proxy holds its maximum of open connections.
        case reset
    }

    public private(set) var fault: Fault = .none
    public let maxConnections: Int

    public init(maxConnections: Int) {
        self.maxConnections = maxConnections
    }

    public mutating func apply(_ fault: Fault) -> Effects {
        self.fault = fault
        switch fault {
        case .down: return Effects(listening: false, resetOpenConnections: true)
        case .resetPeer: return Effects(listening: true, resetOpenConnections: true)
        case .none, .latency, .blackhole, .slowClose, .bandwidth: return Effects(listening: true, resetOpenConnections: false)
        }
    }

    /// A connection just accepted, with `open` connections already forwarded.
    public func admit(open: Int) -> Admission {
        switch fault {
        case .down, .resetPeer: return .reset
        case .none, .latency, .blackhole, .slowClose, .bandwidth: return open < maxConnections ? .forward : .reset
        }
    }
}
