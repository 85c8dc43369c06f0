import Synchronization

/// Whether each configured dependency is healthy right now: Redis while the rate-limit circuit is closed,
/// PostgreSQL while the last load or refresh of the rates succeeded. `/metrics` reports it as
/// `fxrates_dependency_up`, for alerts; readiness deliberately ignores it.
public final class DependencyHealth: Sendable {
    public enum Dependency: String, Sendable {
        case redis, postgres
    }

    private let states: Mutex<[Dependency: Bool]>

    /// - Parameter configured: the dependencies this replica uses, with their state at start.
    public init(_ configured: [Dependency: Bool] = [:]) {
        states = Mutex(configured)
    }

    /// Records a state; a dependency that was not configured stays unreported.
    public func record(_ dependency: Dependency, up: Bool) {
        states.withLock { states in
            if states[dependency] != nil { states[dependency] = up }
        }
    }

    public var snapshot: [Dependency: Bool] { states.withLock { $0 } }
}
