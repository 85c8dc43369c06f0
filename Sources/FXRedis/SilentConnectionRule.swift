import NIOCore

/// Decides when a connection has gone silent for good: Redis replaced behind a stable address leaves the old
/// connections open on this side, with nothing ever coming back, while a new connection would work.
///
/// Redis answers every command in order, so a command that timed out still has its reply coming on a live
/// connection: a slow script or a paused server answers late, not never. The rule therefore waits, after a
/// timeout, for `allowance` more, or as long as the timed-out command's own timeout when that is longer (a caller
/// that gave a command 5 s expects Redis may be that slow): any reply in that time (a late one of a timed-out command included) shows the
/// connection still carries traffic; none at all retires it, unless a command still within its own (longer)
/// timeout is waiting. It is timed from the first timeout, not counted in timeouts, so that how soon a dead
/// connection goes does not depend on how many commands happen to be sent on it (a circuit breaker in front
/// sends one probe every few seconds). Pure, time passed in, so the rule is tested without a network or a
/// clock; `RedisCommandHandler` acts on it.
struct SilentConnectionRule: Sendable {
    enum Verdict: Sendable, Equatable {
        case keep
        /// Close the connection (its pending commands fail) so that the client opens a new one.
        case retire
    }

    /// Half a second with nothing back after a command's own timeout: ten times the default timeout, and far
    /// beyond what Redis takes for anything short of a blocking script or `CLIENT PAUSE`; a silent connection is
    /// replaced in about 0.5 s plus the timeout, a wrong retirement costs one reconnect.
    static let defaultAllowance = TimeAmount.milliseconds(500)

    let allowance: TimeAmount
    /// When a command timed out with nothing read since; nil while the connection answers.
    private(set) var silentSince: NIODeadline?
    /// How long this silence may last: `allowance`, or the longest timeout of the commands that timed out in it.
    private var silenceAllowance: TimeAmount

    init(allowance: TimeAmount = SilentConnectionRule.defaultAllowance) {
        self.allowance = max(.zero, allowance)
        self.silenceAllowance = self.allowance
    }

    /// When the connection is to be retired unless a reply arrives first; nil while nothing is owed.
    var retirementDeadline: NIODeadline? {
        silentSince.map { $0 + silenceAllowance }
    }

    mutating func replyArrived() {
        silentSince = nil
        silenceAllowance = allowance
    }

    /// A command timed out at `now` after `timeout`; returns when to ask for the verdict. Later timeouts keep
    /// the first one's time: the silence has lasted since then.
    mutating func commandTimedOut(at now: NIODeadline, after timeout: TimeAmount = .zero) -> NIODeadline {
        let since = silentSince ?? now
        silentSince = since
        silenceAllowance = max(silenceAllowance, timeout)
        return since + silenceAllowance
    }

    /// - Parameter commandsWithinTheirTimeout: whether a command is still pending whose own timeout has not
    ///   passed (a longer one than the timed-out command's, or one with none): its caller chose to wait that long,
    ///   perhaps behind a slow command, so the connection is not judged before that command times out too.
    func verdict(at now: NIODeadline, commandsWithinTheirTimeout: Bool = false) -> Verdict {
        guard let deadline = retirementDeadline, !commandsWithinTheirTimeout else { return .keep }
        return now >= deadline ? .retire : .keep
    }
}
