import Testing

@testable import FXRedis

/// The lane's decisions alone: no network, no clock (`now` is passed in, as instants after a fixed start).
@Suite struct RateLimitBatchLaneTests {
    private typealias Lane = RateLimitBatchLane<Int>
    private let start = ContinuousClock.now

    private func at(_ milliseconds: Int) -> ContinuousClock.Instant {
        start + .milliseconds(milliseconds)
    }

    /// A lane with check 0 (deadline at 50 ms) in flight, and checks 1, 2, … waiting with the given deadlines
    /// (in milliseconds).
    private func busyLane(waiting deadlines: [Int] = [], queueCapacity: Int = 4_096) -> Lane {
        var lane = Lane(queueCapacity: queueCapacity)
        _ = lane.enqueue(0, deadline: at(50))
        for (check, deadline) in zip(1..., deadlines) {
            _ = lane.enqueue(check, deadline: at(deadline))
        }
        return lane
    }

    @Test func theDefaultsBoundCallsAndQueues() {
        #expect(Lane().maximumBatchSize == 128)
        #expect(Lane().queueCapacity == 4_096)
    }

    @Test func aCheckFindingTheLaneIdleGoesOutAtOnceAlone() throws {
        var lane = Lane()
        guard case .send(let batch) = lane.enqueue(7, deadline: at(50)) else {
            Issue.record("an idle lane sends at once")
            return
        }
        #expect(batch.checks == [7])
        #expect(batch.deadline == at(50))
        #expect(lane.waitingCount == 0)
    }

    @Test func checksArrivingDuringACallWaitAndFormTheNextCallInArrivalOrder() throws {
        var lane = busyLane()
        for check in 1...5 {
            guard case .queued = lane.enqueue(check, deadline: at(60 + check)) else {
                Issue.record("check \(check) waits behind the call in flight")
                return
            }
        }
        #expect(lane.waitingCount == 5)
        let next = try #require(lane.callFinished(now: at(10)).next)
        #expect(next.checks == [1, 2, 3, 4, 5])
        #expect(lane.waitingCount == 0)

        // That call is in flight now: the next arrival waits for it too.
        guard case .queued = lane.enqueue(6, deadline: at(100)) else {
            Issue.record("the lane is busy with the batch")
            return
        }
        #expect(try #require(lane.callFinished(now: at(20)).next).checks == [6])
        // Nothing waits any more: the lane goes idle, and the next check goes out at once.
        let idle = lane.callFinished(now: at(30))
        #expect(idle.next == nil && idle.expired.isEmpty)
        guard case .send(let alone) = lane.enqueue(8, deadline: at(130)) else {
            Issue.record("an idle lane sends at once")
            return
        }
        #expect(alone.checks == [8])
    }

    @Test func atMost128ChecksGoInOneCallAndTheRestWaitForTheNext() throws {
        var lane = busyLane(waiting: Array(repeating: 1_000, count: 300))
        let first = try #require(lane.callFinished(now: at(10)).next)
        let second = try #require(lane.callFinished(now: at(20)).next)
        let third = try #require(lane.callFinished(now: at(30)).next)
        #expect(first.checks == Array(1...128))
        #expect(second.checks == Array(129...256))
        #expect(third.checks == Array(257...300))
        #expect(lane.callFinished(now: at(40)).next == nil)
    }

    @Test func aCheckFindingTheQueueFullIsRejectedAtOnce() throws {
        var lane = busyLane(waiting: [100, 100, 100], queueCapacity: 3)
        guard case .reject(let rejected) = lane.enqueue(4, deadline: at(100)) else {
            Issue.record("a full queue rejects")
            return
        }
        #expect(rejected == 4)
        #expect(lane.waitingCount == 3)
        // Once the queue has left as a call, there is room again.
        #expect(try #require(lane.callFinished(now: at(10)).next).checks == [1, 2, 3])
        guard case .queued = lane.enqueue(5, deadline: at(100)) else {
            Issue.record("the queue has room again")
            return
        }
    }

    @Test func theDefaultQueueHolds4096Checks() {
        var lane = busyLane()
        for check in 1...4_096 {
            guard case .queued = lane.enqueue(check, deadline: at(100)) else {
                Issue.record("check \(check) fits")
                return
            }
        }
        guard case .reject = lane.enqueue(4_097, deadline: at(100)) else {
            Issue.record("check 4,097 is one too many")
            return
        }
    }

    @Test func waitingChecksWhoseDeadlinePassedFailUnsentWhenTheCallCompletes() throws {
        var lane = busyLane(waiting: [20, 90, 30, 95])
        let progress = lane.callFinished(now: at(30))
        // A deadline that is exactly now has passed: the check would have no time left.
        #expect(progress.expired == [1, 3])
        #expect(progress.next?.checks == [2, 4])
    }

    @Test func whenEveryWaitingCheckExpiredTheLaneGoesIdle() {
        var lane = busyLane(waiting: [20])
        let progress = lane.callFinished(now: at(25))
        #expect(progress.expired == [1])
        #expect(progress.next == nil)
        guard case .send = lane.enqueue(2, deadline: at(100)) else {
            Issue.record("an idle lane sends at once")
            return
        }
    }

    @Test func aCallTimesOutAtTheEarliestDeadlineItCarries() throws {
        var lane = busyLane(waiting: [300, 120, 200])
        let next = try #require(lane.callFinished(now: at(10)).next)
        #expect(next.checks == [1, 2, 3])
        // Checks 1 and 3 may fail early with it; none fails after its own deadline.
        #expect(next.deadline == at(120))
    }

    @Test func aFailedCallLetsTheLaneMoveOnToItsQueue() throws {
        // The lane does not care how its call ended: the driver fails that call's checks with its error and
        // reports it finished like any other, and what waited goes out next.
        var lane = busyLane(waiting: [100, 100])
        let afterFailure = lane.callFinished(now: at(50))
        #expect(afterFailure.expired.isEmpty)
        #expect(afterFailure.next?.checks == [1, 2])
        #expect(lane.callFinished(now: at(60)).next == nil)
    }

    @Test func aWaitingCheckArmsATimerThatFailsItWhileTheCallAheadStillRuns() throws {
        var lane = busyLane()
        guard case .queued(let armed) = lane.enqueue(1, deadline: at(500)) else {
            Issue.record("the check waits")
            return
        }
        let first = try #require(armed, "the first waiting check arms a timer")
        #expect(first.deadline == at(500))
        // A later deadline is covered by the timer already armed.
        guard case .queued(nil) = lane.enqueue(2, deadline: at(900)) else {
            Issue.record("no second timer for a later deadline")
            return
        }
        // An earlier one (a shorter timeout of its own) needs an earlier timer, which supersedes the first.
        guard case .queued(let earlier?) = lane.enqueue(3, deadline: at(100)) else {
            Issue.record("an earlier deadline arms an earlier timer")
            return
        }
        #expect(earlier.deadline == at(100))
        #expect(lane.timerFired(first, now: at(500)).expired.isEmpty, "a superseded timer does nothing")

        let fired = lane.timerFired(earlier, now: at(100))
        #expect(fired.expired == [3])
        #expect(fired.next == nil, "the call ahead is still in flight")
        let rearmed = try #require(fired.arming)
        #expect(rearmed.deadline == at(500))
        #expect(lane.waitingCount == 2)

        let later = lane.timerFired(rearmed, now: at(600))
        #expect(later.expired == [1])
        #expect(later.arming?.deadline == at(900))
        #expect(lane.callFinished(now: at(610)).next?.checks == [2])
    }

    @Test func aTimerFiringEarlyFailsNothingAndArmsAgain() throws {
        var lane = busyLane()
        guard case .queued(let armed?) = lane.enqueue(1, deadline: at(100)) else {
            Issue.record("the check arms a timer")
            return
        }
        let early = lane.timerFired(armed, now: at(99))
        #expect(early.expired.isEmpty)
        #expect(early.arming?.deadline == at(100))
    }

    @Test func aTimerOutlivingItsChecksFiresIntoNothing() throws {
        var lane = busyLane()
        guard case .queued(let armed?) = lane.enqueue(1, deadline: at(100)) else {
            Issue.record("the check arms a timer")
            return
        }
        #expect(lane.callFinished(now: at(10)).next?.checks == [1])
        #expect(lane.callFinished(now: at(20)).next == nil)
        let fired = lane.timerFired(armed, now: at(100))
        #expect(fired.expired.isEmpty && fired.arming == nil && fired.next == nil)
    }
}
