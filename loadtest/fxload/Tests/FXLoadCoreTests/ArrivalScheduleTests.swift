import Testing

@testable import FXLoadCore

@Suite struct ArrivalScheduleTests {
    @Test func offsetsAreIndexOverRateWithoutDrift() {
        let schedule = ArrivalSchedule(rate: 2000, warmupSeconds: 2, durationSeconds: 30)
        #expect(schedule.offset(of: 0) == 0)
        #expect(schedule.offset(of: 1) == 500_000)
        #expect(schedule.offset(of: 63_999) == 31_999_500_000)
        // Ten million intervals summed one by one would have drifted; computed from the index they do not.
        #expect(ArrivalSchedule(rate: 2000, warmupSeconds: 0, durationSeconds: 3600).offset(of: 7_000_000) == 3_500_000_000_000)
    }

    @Test func countsCoverTheWarmUpAndTheMeasuredPhase() {
        let schedule = ArrivalSchedule(rate: 2000, warmupSeconds: 2, durationSeconds: 30)
        #expect(schedule.totalCount == 64_000)
        #expect(schedule.firstMeasuredIndex == 4_000)
        #expect(schedule.measuredCount == 60_000)
        #expect(ArrivalSchedule(rate: 0.5, warmupSeconds: 0, durationSeconds: 3).totalCount == 2)  // 0 s and 2 s
        #expect(ArrivalSchedule(rate: 3, warmupSeconds: 0, durationSeconds: 1).totalCount == 3)
        // 90 s × 1.1 is 99.00000000000001 in binary floating point: the estimate alone would say 100 requests,
        // the 100th due at exactly 90 s, after the run's end.
        let awkward = ArrivalSchedule(rate: 1.1, warmupSeconds: 0, durationSeconds: 90)
        #expect(awkward.totalCount == 99)
        #expect(awkward.offset(of: 98) < 90_000_000_000)
        // And the other way: 143 / 1.1 s rounds to 129.999999999 s, inside a 130 s run, where the estimate says 143.
        #expect(ArrivalSchedule(rate: 1.1, warmupSeconds: 0, durationSeconds: 130).totalCount == 144)
    }

    @Test(arguments: [1.0 / 3, 3, 7, 999.9, 2000, 12_345.678, 100_000])
    func countAndOffsetsNeverDisagree(rate: Double) {
        let schedule = ArrivalSchedule(rate: rate, warmupSeconds: 1.3, durationSeconds: 7.7)
        let end = schedule.warmupNanos + schedule.durationNanos
        #expect(schedule.totalCount > 0)
        #expect(schedule.offset(of: schedule.totalCount - 1) < end)
        #expect(schedule.offset(of: schedule.totalCount) >= end)
        #expect(schedule.offset(of: schedule.firstMeasuredIndex) >= schedule.warmupNanos)
        if schedule.firstMeasuredIndex > 0 {
            #expect(schedule.offset(of: schedule.firstMeasuredIndex - 1) < schedule.warmupNanos)
        }
    }

    @Test func dueCountIsEveryOffsetAtOrBeforeTheElapsedTime() {
        let schedule = ArrivalSchedule(rate: 2000, warmupSeconds: 0, durationSeconds: 1)
        #expect(schedule.dueCount(atElapsed: -1) == 0)
        #expect(schedule.dueCount(atElapsed: 0) == 1)
        #expect(schedule.dueCount(atElapsed: 499_999) == 1)
        #expect(schedule.dueCount(atElapsed: 500_000) == 2)
        #expect(schedule.dueCount(atElapsed: 10_000_000_000) == 2000)  // capped at the run's requests
    }

    @Test func workersShareTheIndexesExactlyOnceHoweverLateTheyWake() {
        let schedule = ArrivalSchedule(rate: 1000, warmupSeconds: 0.5, durationSeconds: 2)
        let workers = 3
        var seen = Array(repeating: 0, count: schedule.totalCount)
        for worker in 0..<workers {
            var next = worker
            var elapsed: Int64 = 0
            var step: Int64 = 1
            // Wakes at irregular times, some early and some many intervals late, as a loaded machine would.
            while next < schedule.totalCount {
                for index in schedule.dueIndexes(from: next, workers: workers, atElapsed: elapsed) {
                    #expect(schedule.offset(of: index) <= elapsed)
                    seen[index] += 1
                    next = index + workers
                }
                step = (step * 7_919 + 13) % 9_000_000
                elapsed += step
            }
        }
        #expect(seen.allSatisfy { $0 == 1 })
    }

    @Test func wakeUpsRoundUpToTheTickNeverEarly() {
        let schedule = ArrivalSchedule(rate: 30_000, warmupSeconds: 0, durationSeconds: 1)
        #expect(schedule.offset(of: 1) == 33_333)
        #expect(schedule.wakeOffset(of: 1, tickNanos: 0) == 33_333)
        #expect(schedule.wakeOffset(of: 1, tickNanos: 50_000) == 50_000)
        #expect(schedule.wakeOffset(of: 3, tickNanos: 50_000) == 100_000)  // exactly on the grid: not later
        #expect(schedule.wakeOffset(of: 4, tickNanos: 50_000) == 150_000)
    }

    @Test func requestsAreFiledUnderTheSecondTheyWereMeantFor() {
        let schedule = ArrivalSchedule(rate: 10, warmupSeconds: 1, durationSeconds: 3)
        #expect(schedule.measuredSecond(of: 9) == nil)  // 0.9 s: warm-up
        #expect(schedule.measuredSecond(of: 10) == 0)
        #expect(schedule.measuredSecond(of: 19) == 0)
        #expect(schedule.measuredSecond(of: 20) == 1)
        #expect(schedule.measuredSecond(of: 39) == 2)
    }
}
