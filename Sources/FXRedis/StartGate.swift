import FXLifecycle
import NIOConcurrencyHelpers

/// Holds commands sent before the client has had a chance to connect: until `run()` has started and a first
/// connection attempt has an outcome, "no connection" means "not yet", not "Redis is down". Once the gate
/// opens, a missing connection fails a command at once, as it always has.
final class StartGate: Sendable {
    enum Phase: Sendable {
        case pending
        case open
        case closed
    }

    private struct State {
        var phase = Phase.pending
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiterID = 0
    }

    private let state = NIOLockedValueBox(State())

    var phase: Phase {
        state.withLockedValue { $0.phase }
    }

    /// The first connection attempt has an outcome.
    func open() {
        settle(as: .open)
    }

    /// The client shut down; it will not connect again.
    func close() {
        settle(as: .closed)
    }

    /// Returns once the gate is no longer pending. At `deadline` it throws `RedisError.connectionUnavailable`:
    /// the command was never sent, so it did not time out waiting for Redis.
    func wait(until deadline: ContinuousClock.Instant) async throws {
        try await withDeadline(deadline, timeoutError: RedisError.connectionUnavailable) {
            try await self.waitUntilSettled()
        }
    }

    private func settle(as phase: Phase) {
        let waiters = state.withLockedValue { state in
            if state.phase == .pending || phase == .closed { state.phase = phase }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    private func waitUntilSettled() async throws {
        let id = state.withLockedValue { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let settled = state.withLockedValue { state in
                    // Checked under the lock: a cancellation that lands after this registers finds the waiter.
                    guard state.phase == .pending, !Task.isCancelled else { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if settled { continuation.resume() }
            }
        } onCancel: {
            state.withLockedValue { $0.waiters.removeValue(forKey: id) }?.resume()
        }
        try Task.checkCancellation()
    }
}
