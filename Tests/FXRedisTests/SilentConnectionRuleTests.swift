@testable import FXRedis
import NIOCore
import Testing

/// The rule that retires a connection Redis no longer answers on (Redis replaced behind the same address): no
/// network and no clock, only the timeouts and replies the command handler reports, at given instants.
struct SilentConnectionRuleTests {
    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    private let allowance = TimeAmount.milliseconds(500)

    @Test func oneTimeoutFollowedBySilenceForTheAllowanceRetires() {
        var rule = SilentConnectionRule(allowance: allowance)
        #expect(rule.commandTimedOut(at: start) == start + allowance)
        #expect(rule.verdict(at: start + allowance - .milliseconds(1)) == .keep)
        #expect(rule.verdict(at: start + allowance) == .retire)
    }

    /// However many commands time out after the first, the silence is counted from the first: how soon a dead
    /// connection goes does not depend on the traffic sent on it.
    @Test func laterTimeoutsDoNotPostponeTheRetirement() {
        var rule = SilentConnectionRule(allowance: allowance)
        _ = rule.commandTimedOut(at: start)
        #expect(rule.commandTimedOut(at: start + .milliseconds(300)) == start + allowance)
        #expect(rule.verdict(at: start + allowance) == .retire)
    }

    @Test func anyReplyWithinTheAllowanceKeepsTheConnectionAndRestartsTheCount() {
        var rule = SilentConnectionRule(allowance: allowance)
        _ = rule.commandTimedOut(at: start)
        // A late reply of a timed-out command counts too: the connection still carries traffic.
        rule.replyArrived()
        #expect(rule.verdict(at: start + .seconds(10)) == .keep)
        #expect(rule.retirementDeadline == nil)
        let later = start + .seconds(2)
        #expect(rule.commandTimedOut(at: later) == later + allowance)
        #expect(rule.verdict(at: later + allowance) == .retire)
    }

    /// A command behind the timed-out one still within its own, longer timeout: its caller chose to wait that
    /// long (a slow command ahead of it), so the verdict waits for it.
    @Test func aCommandWithinItsOwnTimeoutDefersTheRetirement() {
        var rule = SilentConnectionRule(allowance: allowance)
        _ = rule.commandTimedOut(at: start)
        #expect(rule.verdict(at: start + .seconds(3), commandsWithinTheirTimeout: true) == .keep)
        #expect(rule.verdict(at: start + .seconds(3), commandsWithinTheirTimeout: false) == .retire)
    }

    /// A caller that gave a command 5 s expects Redis may be that slow: the silence after it may last as long.
    @Test func aLongerTimeoutAllowsAsLongASilence() {
        var rule = SilentConnectionRule(allowance: allowance)
        #expect(rule.commandTimedOut(at: start, after: .seconds(5)) == start + .seconds(5))
        #expect(rule.verdict(at: start + .seconds(5) - .milliseconds(1)) == .keep)
        #expect(rule.verdict(at: start + .seconds(5)) == .retire)
        rule.replyArrived()
        #expect(rule.commandTimedOut(at: start + .seconds(6), after: .milliseconds(50)) == start + .seconds(6) + allowance)
    }

    @Test func nothingOwedNeverRetires() {
        let rule = SilentConnectionRule(allowance: allowance)
        #expect(rule.verdict(at: start + .seconds(3600)) == .keep)
    }

    @Test func aNegativeAllowanceMeansNone() {
        var rule = SilentConnectionRule(allowance: .milliseconds(-5))
        _ = rule.commandTimedOut(at: start)
        #expect(rule.verdict(at: start) == .retire)
    }
}
