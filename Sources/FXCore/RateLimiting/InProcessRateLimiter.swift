import Foundation
import Synchronization
import FXSupport

/// Sliding-window limits kept in this process: the embedded default, and the fallback while Redis is
/// unreachable. Memory is bounded: the least recently seen clients are forgotten first.
public final class InProcessRateLimiter: RateLimiter {
    /// One client's counters, one per window, in the order of its windows.
    private struct Counters {
        var windowIndex: [Int]
        var previous: [Int]
        var current: [Int]

        init(windows: Int) {
            windowIndex = Array(repeating: 0, count: windows)
            previous = windowIndex
            current = windowIndex
        }
    }

    private let state: Mutex<LRUCache<String, Counters>>
    private let now: @Sendable () -> Int

    /// - Parameter now: milliseconds since the Unix epoch.
    public init(capacity: Int = 100_000, now: @escaping @Sendable () -> Int = InProcessRateLimiter.systemMilliseconds) {
        self.state = Mutex(LRUCache(capacity: capacity))
        self.now = now
    }

    public func acquire(key: String, windows: [RateLimitWindow]) -> RateLimitDecision {
        let time = now()
        return state.withLock { cache in
            var counters = cache.value(for: key) ?? Counters(windows: windows.count)
            if counters.windowIndex.count != windows.count { counters = Counters(windows: windows.count) }
            var sliding: [SlidingWindowCounter] = []
            for (position, window) in windows.enumerated() {
                // Policies give windows of 1 s to a day; any other window still divides without trapping.
                let length = min(max(window.seconds, 1), Self.longestWindowSeconds) * 1000
                let index = time / length
                if counters.windowIndex[position] != index {
                    let adjacent = counters.windowIndex[position] == index - 1
                    counters.previous[position] = adjacent ? counters.current[position] : 0
                    counters.current[position] = 0
                    counters.windowIndex[position] = index
                }
                sliding.append(SlidingWindowCounter(
                    previous: counters.previous[position], current: counters.current[position],
                    elapsed: time - index * length, windowLength: length))
            }
            let allowed = zip(sliding, windows).allSatisfy { $0.admits(quota: $1.quota) }
            if allowed {
                for position in windows.indices { counters.current[position] += 1 }
            }
            cache.set(counters, for: key)
            return RateLimitDecision(allowed: allowed, windows: windows, counters: sliding)
        }
    }

    /// A year: far past any policy's longest window (a day), and small enough in milliseconds for any clock.
    private static let longestWindowSeconds = 366 * 86_400

    @Sendable public static func systemMilliseconds() -> Int {
        Int((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
