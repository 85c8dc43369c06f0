import Synchronization

/// Lets a client's `run()` start its background work once: a client that has shut down stays shut down.
public final class RunOnce: Sendable {
    private let started = Mutex(false)

    public init() {}

    /// True the first time only.
    public func start() -> Bool {
        started.withLock { started in
            defer { started = true }
            return !started
        }
    }
}
