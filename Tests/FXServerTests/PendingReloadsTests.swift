import FXCore
@testable import FXServer
import Testing

/// What waits while a reload runs: every request merges into one piece of work.
struct PendingReloadsTests {
    private let day = Day(parsing: "2026-11-27")!

    @Test func manyRequestsOfEverythingAreOneReload() {
        var pending = PendingReloads()
        for _ in 0..<1000 { pending.requestEverything() }
        #expect(pending.take() == .everything)
        #expect(pending.take() == nil)
    }

    @Test func datesMergeAndEverythingCoversThem() {
        var pending = PendingReloads()
        for _ in 0..<1000 { pending.request(day) }
        pending.request(day.adding(days: -1))
        #expect(pending.take() == .days([day.adding(days: -1), day]))
        pending.request(day)
        pending.requestEverything()
        pending.request(day)
        #expect(pending.take() == .everything)
    }

    @Test func tooManyDatesBecomeOneWholeReload() {
        var pending = PendingReloads()
        for offset in 0...PendingReloads.maximumDays { pending.request(day.adding(days: -offset)) }
        #expect(pending.take() == .everything)
    }
}
