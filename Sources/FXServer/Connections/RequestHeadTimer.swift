/// When a connection's request head must have arrived: the decisions of `ConnectionGuardHandler`'s
/// header timeout, without a clock or a socket, so that they can be tested alone.
///
/// The timer runs from the moment a connection opens, and on a kept-alive connection from the first
/// bytes of the next request, until the head of that request is parsed. Bytes that trickle in do not
/// restart it, so a client sending one byte every few seconds is closed as surely as a silent one.
/// It never runs while a request is being answered, however long its handler takes; the time between
/// requests is the idle timeout's.
struct RequestHeadTimer: Equatable {
    enum State: Equatable {
        /// The connection is open and the timer runs: a head must arrive before it fires.
        case awaitingHead
        /// This many requests have a head and no finished response (more than one when pipelined).
        case answering(requests: Int)
        /// Every response is written; nothing of a next request has arrived.
        case idle
        case closed
    }

    enum Action: Equatable {
        case startTimer
        case cancelTimer
        case close
        case none
    }

    private(set) var state: State?

    /// The connection became active (the first of the handler's two ways of learning it starts the timer).
    mutating func connectionOpened() -> Action {
        guard state == nil else { return .none }
        state = .awaitingHead
        return .startTimer
    }

    /// A read from the socket ended, whether or not it completed a head.
    mutating func bytesArrived() -> Action {
        guard state == .idle else { return .none }
        state = .awaitingHead
        return .startTimer
    }

    mutating func headReceived() -> Action {
        switch state {
        case .awaitingHead, .idle, nil:
            state = .answering(requests: 1)
            return .cancelTimer
        case .answering(let requests):
            state = .answering(requests: requests + 1)
            return .none
        case .closed:
            return .none
        }
    }

    mutating func responseFinished() -> Action {
        guard case .answering(let requests) = state else { return .none }
        state = requests > 1 ? .answering(requests: requests - 1) : .idle
        return .none
    }

    mutating func timerFired() -> Action {
        guard state == .awaitingHead else { return .none }
        state = .closed
        return .close
    }

    mutating func connectionClosed() -> Action {
        state = .closed
        return .cancelTimer
    }
}
