/// Decides when a connection has gone silent for good: Redis replaced behind a stable address leaves the old
/// connections open on this side, with nothing ever coming back, while a new connection would work.
///
/// A command that times out alone proves little (a slow script, a paused server), so one does not retire the
/// connection; `limit` timeouts in a row with no reply between them do. Any reply, a late one of a timed-out
/// command included, shows the connection still carries traffic and starts the count again. Pure, so the rule
/// is tested without a network; `RedisCommandHandler` acts on it.
struct SilentConnectionRule: Sendable {
    enum Verdict: Sendable, Equatable {
        case keep
        /// Close the connection (its pending commands fail) so that the client opens a new one.
        case retire
    }

    /// Three: one timeout is a slow command, two a slow moment; three with nothing back in between is a
    /// connection to replace, which costs one reconnect if Redis was merely slow.
    static let defaultLimit = 3

    let limit: Int
    private(set) var consecutiveTimeouts = 0

    init(limit: Int = SilentConnectionRule.defaultLimit) {
        self.limit = max(1, limit)
    }

    mutating func replyArrived() {
        consecutiveTimeouts = 0
    }

    mutating func commandTimedOut() -> Verdict {
        consecutiveTimeouts += 1
        return consecutiveTimeouts >= limit ? .retire : .keep
    }
}
