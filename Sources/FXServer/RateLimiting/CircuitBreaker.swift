import FXCore
import Logging
import Synchronization
import FXSupport

/// Stops calling a dependency that keeps failing, then probes it with growing pauses.
///
/// Closed: calls go through; `failureThreshold` consecutive failures open it. Open: calls are refused
/// until the pause is over, when one probe call is let through (half-open). The probe's success closes
/// the breaker; its failure opens it again with a longer pause. Each state change is logged once.
final class CircuitBreaker: Sendable {
    enum State: String, Sendable {
        case closed, open, halfOpen = "half-open"
    }

    private struct Status {
        var state = State.closed
        var consecutiveFailures = 0
        var openings = 0
        var probeAt = ContinuousClock.now
    }

    private let status = Mutex(Status())
    private let name: String
    private let failureThreshold: Int
    private let backoff: ReconnectBackoff
    private let logger: Logger
    private let onChange: @Sendable (State) -> Void

    /// - Parameter onChange: told of every state change, after it happened.
    init(name: String, failureThreshold: Int = 3,
         backoff: ReconnectBackoff = ReconnectBackoff(initialDelay: .milliseconds(250), maximumDelay: .seconds(2)),
         logger: Logger, onChange: @escaping @Sendable (State) -> Void = { _ in }) {
        self.name = name
        self.failureThreshold = failureThreshold
        self.backoff = backoff
        self.logger = logger
        self.onChange = onChange
    }

    var state: State { status.withLock { $0.state } }

    /// Whether a call may go out now; in the open state, the first caller after the pause becomes the probe.
    func allowsCall() -> Bool {
        let (allowed, change) = status.withLock { status -> (Bool, State?) in
            switch status.state {
            case .closed: return (true, nil)
            case .halfOpen: return (false, nil)
            case .open:
                guard ContinuousClock.now >= status.probeAt else { return (false, nil) }
                status.state = .halfOpen
                return (true, .halfOpen)
            }
        }
        change.map(changed)
        return allowed
    }

    func recordSuccess() {
        let change = status.withLock { status -> State? in
            status.consecutiveFailures = 0
            guard status.state != .closed else { return nil }
            status.state = .closed
            status.openings = 0
            return .closed
        }
        change.map(changed)
    }

    func recordFailure() {
        let change = status.withLock { status -> State? in
            status.consecutiveFailures += 1
            guard status.state == .halfOpen || (status.state == .closed && status.consecutiveFailures >= failureThreshold)
            else { return nil }
            status.openings += 1
            status.state = .open
            status.probeAt = ContinuousClock.now + backoff.delay(afterFailures: status.openings)
            return .open
        }
        change.map(changed)
    }

    private func changed(_ state: State) {
        onChange(state)
        switch state {
        case .open: logger.warning("circuit breaker opened", metadata: ["dependency": "\(name)"])
        case .halfOpen: logger.info("circuit breaker probing", metadata: ["dependency": "\(name)"])
        case .closed: logger.notice("circuit breaker closed", metadata: ["dependency": "\(name)"])
        }
    }
}
