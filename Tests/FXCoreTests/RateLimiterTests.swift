import Synchronization
import Testing

@testable import FXCore
import FXSupport

/// A clock the test moves by hand, in milliseconds.
final class ManualClock: Sendable {
    private let milliseconds = Atomic(1_800_000_000_000)

    func advance(seconds: Int) {
        milliseconds.add(seconds * 1000, ordering: .relaxed)
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
            let counter = SlidingWindowCounter(previous: anyInt(), current: anyInt(), elapsed: anyInt(), windowLength: anyInt())
            let quota = anyInt()
            _ = counter.admits(quota: quota)
            #expect(counter.remaining(quota: quota) >= 0)
            #expect(counter.retryAfter(quota: quota) >= 0)
            _ = RateLimitDecision(allowed: Bool.random(using: &random),
                                  windows: [RateLimitWindow(name: "x", quota: quota, seconds: 60)], counters: [counter])
        }
        for _ in 0..<20_000 {
            let length = Int.random(in: 1...86_400_000, using: &random)
            let previous = Int.random(in: 0...2_000_000_000, using: &random)
            let current = Int.random(in: 0...2_000_000_000, using: &random)
            let elapsed = Int.random(in: 0..<length, using: &random)
            let quota = Int.random(in: 1...1_000_000_000, using: &random)
            let counter = SlidingWindowCounter(previous: previous, current: current, elapsed: elapsed, windowLength: length)
            #expect(counter.admits(quota: quota)
                == (previous * (length - elapsed) + (current + 1) * length <= quota * length))
            #expect(counter.remaining(quota: quota)
                == max(0, (quota * length - previous * (length - elapsed) - current * length) / length))
        }
    }

    @Test func counterWeighsThePreviousWindow() {
        // 10 requests last minute, 30 s into this one: the sliding window still holds 5 of them.
        let counter = SlidingWindowCounter(previous: 10, current: 0, elapsed: 30_000, windowLength: 60_000)
        #expect(counter.remaining(quota: 10) == 5)
        #expect(counter.admits(quota: 6))
        #expect(!counter.admits(quota: 5))
        // 5 + 1 ≤ 5 needs previous × (60 − e)/60 ≤ 4, so e ≥ 36 s: 6 s from now.
        #expect(counter.retryAfter(quota: 5) == 6000)
    }

    @Test func exhaustedCurrentWindowWaitsForTheNext() {
        let counter = SlidingWindowCounter(previous: 0, current: 4, elapsed: 15_000, windowLength: 60_000)
        #expect(!counter.admits(quota: 4))
        // Next window: 4 × (60 − e)/60 + 1 ≤ 4 needs e ≥ 15 s; 45 s to the boundary plus 15 s.
        #expect(counter.retryAfter(quota: 4) == 60_000)
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
