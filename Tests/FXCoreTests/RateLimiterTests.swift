import Synchronization
import Testing

@testable import FXCore
import FXSupport

/// A clock the test moves by hand, in milliseconds.
final class ManualClock: Sendable {
    private let milliseconds = Atomic(1_800_000_000_000)

    func advance(seconds: Int) {
        advance(milliseconds: seconds * 1000)
    }

    func advance(milliseconds: Int) {
        self.milliseconds.add(milliseconds, ordering: .relaxed)
    }

    var now: @Sendable () -> Int {
        { self.milliseconds.load(ordering: .relaxed) }
    }
}

@Suite("Sliding-window rate limiting")
struct RateLimiterTests {
    let minute = RateLimitWindow(name: "minute", quota: 3, seconds: 60)
    let hour = RateLimitWindow(name: "hour", quota: 5, seconds: 3600)

    /// Any counter, however absurd (a count read back from a forged Redis hash, a quota from the environment),
    /// is decided without trapping; within the ranges real counters have, the answers are the plain formulas'.
    @Test func theCounterNeverTrapsAndAgreesWithThePlainFormulasWhereTheyFit() {
        var random = SeededRandom(seed: 0x5EED)
        let extremes = [Int.min, Int.min + 1, -1, 0, 1, 2, 999, 1000, 86_400_000, 1 << 31, 1 << 62, Int.max - 1, Int.max]
        func anyInt() -> Int {
            Bool.random(using: &random) ? extremes.randomElement(using: &random)! : Int(bitPattern: UInt(random.next()))
        }
        for _ in 0..<20_000 {
            let covered = Bool.random(using: &random) ? (0..<SlidingWindowCounter.subWindowsPerWindow).map { _ in anyInt() } : []
            let counter = SlidingWindowCounter(leaving: anyInt(), inWindow: anyInt(), elapsed: anyInt(),
                                               subWindowLength: anyInt(), covered: covered)
            let quota = anyInt()
            _ = counter.admits(quota: quota)
            #expect(counter.remaining(quota: quota) >= 0)
            #expect(counter.retryAfter(quota: quota) >= 0)
            _ = RateLimitDecision(allowed: Bool.random(using: &random),
                                  windows: [RateLimitWindow(name: "x", quota: quota, seconds: 60)], counters: [counter])
        }
        for _ in 0..<20_000 {
            let length = Int.random(in: 1...86_400_000, using: &random)
            let leaving = Int.random(in: 0...2_000_000_000, using: &random)
            let inWindow = Int.random(in: 0...2_000_000_000, using: &random)
            let elapsed = Int.random(in: 0..<length, using: &random)
            let quota = Int.random(in: 1...1_000_000_000, using: &random)
            let counter = SlidingWindowCounter(leaving: leaving, inWindow: inWindow, elapsed: elapsed, subWindowLength: length)
            #expect(counter.admits(quota: quota)
                == (leaving * (length - elapsed) + (inWindow + 1) * length <= quota * length))
            #expect(counter.remaining(quota: quota)
                == max(0, (quota * length - leaving * (length - elapsed) - inWindow * length) / length))
        }
    }

    @Test func counterWeighsTheLeavingSubWindow() {
        // 10 requests in the sub-window being left, halfway through the current one: 5 of them still count.
        let counter = SlidingWindowCounter(leaving: 10, inWindow: 0, elapsed: 600, subWindowLength: 1200)
        #expect(counter.remaining(quota: 10) == 5)
        #expect(counter.admits(quota: 6))
        #expect(!counter.admits(quota: 5))
        // 5 + 1 ≤ 5 needs leaving × (1200 − e)/1200 ≤ 4, so e ≥ 720 ms: 120 ms from now.
        #expect(counter.retryAfter(quota: 5) == 120)
    }

    @Test func aFullWindowWaitsForItsSubWindowsToLeaveInTurn() {
        let covered = Array(repeating: 0, count: SlidingWindowCounter.subWindowsPerWindow)
        func counter(_ covered: [Int]) -> SlidingWindowCounter {
            SlidingWindowCounter(leaving: 0, inWindow: 4, elapsed: 300, subWindowLength: 1200, covered: covered)
        }
        // All 4 in the current sub-window: it leaves after the 49 older ones, 900 ms + 49 × 1200 ms from now,
        // and one more fits once a quarter of its weight is gone, 300 ms later: a minute in all.
        #expect(counter(covered.dropLast() + [4]).retryAfter(quota: 4) == 60_000)
        // All 4 in the oldest covered sub-window: it is leaving from the next boundary on.
        #expect(counter([4] + covered.dropFirst()).retryAfter(quota: 4) == 1_200)
        // Two in the oldest and two in the third: once the oldest has gone, 2 + 1 ≤ 4.
        var spread = covered
        (spread[0], spread[2]) = (2, 2)
        #expect(counter(spread).retryAfter(quota: 4) == 900 + 600)
        // Without the counts, the worst case: all of them in the current sub-window, and all of its weight.
        #expect(counter([]).retryAfter(quota: 4) == 900 + 50 * 1200)
    }

    /// A client sending steadily at 1.5× its limit: the plain sliding-window counter (one sub-window per window)
    /// let up to a third more than the quota into some trailing window, because it assumes the previous window's
    /// requests were spread evenly while this client's bunch at its end. With sub-windows no trailing minute
    /// holds more than the quota, and the client still gets nearly all of it.
    @Test(arguments: [0, 7_300, 17_300, 31_000, 45_500])
    func aClientPinnedAboveItsLimitGetsNoMoreThanItsQuotaInAnyTrailingWindow(phase: Int) {
        let clock = ManualClock()
        clock.advance(milliseconds: phase)
        let limiter = InProcessRateLimiter(now: clock.now)
        let window = RateLimitWindow(name: "minute", quota: 60, seconds: 60)
        var admitted: [Int] = []
        var sent = 0
        for _ in 0..<450 {
            if limiter.acquire(key: "steady", windows: [window]).allowed { admitted.append(sent) }
            clock.advance(milliseconds: 667)
            sent += 667
        }
        var oldest = 0, most = 0
        for (newest, at) in admitted.enumerated() {
            while admitted[oldest] <= at - 60_000 { oldest += 1 }
            most = max(most, newest - oldest + 1)
        }
        #expect(most <= 60, "\(most) admitted in one trailing minute")
        #expect(admitted.count >= 290, "of the 300 the quota allows over five minutes")
    }

    @Test func quotaHoldsAndDenialsConsumeNothing() async {
        let clock = ManualClock()
        let limiter = InProcessRateLimiter(now: clock.now)
        var allowed = 0
        for _ in 0..<10 where limiter.acquire(key: "k", windows: [minute, hour]).allowed { allowed += 1 }
        #expect(allowed == 3)

        let denied = limiter.acquire(key: "k", windows: [minute, hour])
        #expect(!denied.allowed)
        #expect((denied.retryAfterSeconds ?? 0) >= 1)
        #expect(denied.tightest?.window == minute)
        #expect(denied.tightest?.remaining == 0)

        // Two minutes on, the minute window is empty; the hour window has counted only the 3 admitted.
        clock.advance(seconds: 120)
        allowed = 0
        for _ in 0..<10 where limiter.acquire(key: "k", windows: [minute, hour]).allowed { allowed += 1 }
        #expect(allowed == 2)
        let hourly = limiter.acquire(key: "k", windows: [minute, hour])
        #expect(hourly.tightest?.window == hour)
    }

    @Test func clientsAreCountedApart() {
        let limiter = InProcessRateLimiter(now: ManualClock().now)
        for _ in 0..<3 { _ = limiter.acquire(key: "a", windows: [minute]) }
        #expect(!limiter.acquire(key: "a", windows: [minute]).allowed)
        #expect(limiter.acquire(key: "b", windows: [minute]).allowed)
    }

    @Test func exactUnderConcurrency() async {
        let limiter = InProcessRateLimiter(now: ManualClock().now)
        let window = RateLimitWindow(name: "hour", quota: 100, seconds: 3600)
        let admitted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<300 { group.addTask { limiter.acquire(key: "burst", windows: [window]).allowed } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 100)
    }

    @Test func leastRecentlyUsedIsEvicted() {
        var cache = LRUCache<String, Int>(capacity: 2)
        cache.set(1, for: "a")
        cache.set(2, for: "b")
        #expect(cache.value(for: "a") == 1)
        cache.set(3, for: "c")
        #expect(cache.value(for: "b") == nil)
        #expect(cache.value(for: "a") == 1)
        #expect(cache.value(for: "c") == 3)
        #expect(cache.count == 2)
    }

    @Test func updateChangesAValueInPlaceOrInsertsTheDefaultAndEvicts() {
        var cache = LRUCache<String, [Int]>(capacity: 2)
        cache.update("a", default: { [] }) { $0.append(1) }
        cache.update("b", default: { [] }) { $0.append(2) }
        let count = cache.update("a", default: { [] }) { value -> Int in
            value.append(3)
            return value.count
        }
        #expect(count == 2)
        cache.update("c", default: { [9] }) { _ in }  // full: b is the least recently used
        #expect(cache.value(for: "b") == nil)
        #expect(cache.value(for: "a") == [1, 3])
        #expect(cache.value(for: "c") == [9])
    }

    @Test func removedEntriesAreGoneAndTheOrderHolds() {
        var cache = LRUCache<Int, Int>(capacity: 3)
        for key in 1...3 { cache.set(key, for: key) }
        cache.remove(1)
        #expect(cache.value(for: 1) == nil)
        #expect(cache.count == 2)
        cache.set(4, for: 4)
        cache.set(5, for: 5)  // full again: 2 is the least recently used
        #expect(cache.value(for: 2) == nil)
        #expect([3, 4, 5].map { cache.value(for: $0) } == [3, 4, 5])
        cache.remove(5)
        cache.remove(3)
        cache.set(6, for: 6)
        cache.set(7, for: 7)
        cache.set(8, for: 8)  // evicts 4, the oldest left
        #expect(cache.value(for: 4) == nil)
        #expect([6, 7, 8].map { cache.value(for: $0) } == [6, 7, 8])
    }
}
