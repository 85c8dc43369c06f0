import NIOConcurrencyHelpers

/// Aggregates the states of several connections into one state (connected while
/// at least one is up) and fans its changes out to any number of listeners.
final class ConnectionStateBroadcaster: Sendable {
    private typealias Continuation = AsyncStream<RedisConnectionState>.Continuation

    private struct State {
        var connectedMembers: Set<Int> = []
        var listeners: [Int: Continuation] = [:]
        var nextListenerID = 0
        var isFinished = false

        var aggregate: RedisConnectionState {
            connectedMembers.isEmpty ? .disconnected : .connected
        }
    }

    private let state = NIOLockedValueBox(State())

    var current: RedisConnectionState {
        state.withLockedValue { $0.aggregate }
    }

    func update(member: Int, to memberState: RedisConnectionState) {
        // Yielding under the lock keeps every listener's sequence in order;
        // `yield` never calls back into this type.
        state.withLockedValue { state in
            guard !state.isFinished else { return }
            let before = state.aggregate
            switch memberState {
            case .connected: state.connectedMembers.insert(member)
            case .disconnected: state.connectedMembers.remove(member)
            }
            guard before != state.aggregate else { return }
            for listener in state.listeners.values {
                listener.yield(state.aggregate)
            }
        }
    }

    /// A stream that starts with the current state and then yields every change.
    func stream() -> AsyncStream<RedisConnectionState> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: RedisConnectionState.self,
            bufferingPolicy: .bufferingNewest(16)
        )
        let id: Int? = state.withLockedValue { state in
            guard !state.isFinished else { return nil }
            let id = state.nextListenerID
            state.nextListenerID += 1
            state.listeners[id] = continuation
            continuation.yield(state.aggregate)
            return id
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { _ = $0.listeners.removeValue(forKey: id) }
        }
        return stream
    }

    func finish() {
        let listeners = state.withLockedValue { state in
            state.isFinished = true
            state.connectedMembers.removeAll()
            defer { state.listeners.removeAll() }
            return Array(state.listeners.values)
        }
        for listener in listeners {
            listener.yield(.disconnected)
            listener.finish()
        }
    }
}
