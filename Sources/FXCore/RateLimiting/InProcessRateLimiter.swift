import Foundation
import Synchronization
import FXSupport

/// Sliding-window limits kept in this process: the embedded default, and the fallback while Redis is
/// unreachable. Memory is bounded: the least recently seen clients are forgotten first.
public final class InProcessRateLimiter: RateLimiter {
    /// One client's sub-window counts, one log per window, in the order of its windows.
    private typealias Counters = [SubWindowLog]

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
            cache.update(key, default: { Array(repeating: SubWindowLog(), count: windows.count) }) { counters in
                if counters.count != windows.count { counters = Array(repeating: SubWindowLog(), count: windows.count) }
                var sliding: [SlidingWindowCounter] = []
                sliding.reserveCapacity(windows.count)
                for (position, window) in windows.enumerated() {
                    let length = SlidingWindowCounter.subWindowLength(ofWindowSeconds: window.seconds)
                    let index = time / length
                    var counter = counters[position].counter(at: index, elapsed: time - index * length, subWindowLength: length)
                    if !counter.admits(quota: window.quota) {
                        counter = SlidingWindowCounter(leaving: counter.leaving, inWindow: counter.inWindow, elapsed: counter.elapsed,
                                                       subWindowLength: length, covered: counters[position].covered(at: index))
                    }
                    sliding.append(counter)
                }
                let allowed = zip(sliding, windows).allSatisfy { $0.admits(quota: $1.quota) }
                if allowed {
                    for (position, window) in windows.enumerated() {
                        counters[position].count(at: time / SlidingWindowCounter.subWindowLength(ofWindowSeconds: window.seconds))
                    }
                }
                return RateLimitDecision(allowed: allowed, windows: windows, counters: sliding)
            }
        }
    }

    @Sendable public static func systemMilliseconds() -> Int {
        Int((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
