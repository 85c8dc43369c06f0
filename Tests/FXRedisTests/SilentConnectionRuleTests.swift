@testable import FXRedis
import Testing

/// The rule that retires a connection Redis no longer answers on (Redis replaced behind the same address): no
/// network, only the sequence of timeouts and replies the command handler reports.
struct SilentConnectionRuleTests {
    @Test func threeTimeoutsInARowRetireTheConnection() {
        var rule = SilentConnectionRule()
        #expect(rule.commandTimedOut() == .keep)
        #expect(rule.commandTimedOut() == .keep)
        #expect(rule.commandTimedOut() == .retire)
    }

    @Test func anyReplyBetweenTimeoutsKeepsTheConnection() {
        var rule = SilentConnectionRule()
        for _ in 0..<10 {
            #expect(rule.commandTimedOut() == .keep)
            #expect(rule.commandTimedOut() == .keep)
            // A late reply of a timed-out command counts too: the connection still carries traffic.
            rule.replyArrived()
        }
        #expect(rule.consecutiveTimeouts == 0)
    }

    @Test func aLimitBelowOneMeansOne() {
        var rule = SilentConnectionRule(limit: 0)
        #expect(rule.commandTimedOut() == .retire)
    }
}
