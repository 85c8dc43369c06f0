/// The sliding-window counter of Cloudflare's published design: the current fixed window's count plus
/// the previous window's count weighted by how much of it the sliding window still covers. O(1) memory
/// per key. All arithmetic is in integer milliseconds so that the in-process limiter and the Redis
/// script (`SlidingWindowScript`, which mirrors these formulas) decide exactly alike.
public struct SlidingWindowCounter: Hashable, Sendable {
    public let previous: Int
    public let current: Int
    /// Milliseconds since the current fixed window began.
    public let elapsed: Int
    public let windowLength: Int

    public init(previous: Int, current: Int, elapsed: Int, windowLength: Int) {
        self.previous = previous
        self.current = current
        self.elapsed = elapsed
        self.windowLength = windowLength
    }

    /// Whether one more request fits: `previous × (W − e) / W + current + 1 ≤ quota`, multiplied out by W.
    public func admits(quota: Int) -> Bool {
        previous * (windowLength - elapsed) + (current + 1) * windowLength <= quota * windowLength
    }

    /// Whole requests that still fit under `quota`.
    public func remaining(quota: Int) -> Int {
        max(0, (quota * windowLength - previous * (windowLength - elapsed) - current * windowLength) / windowLength)
    }

    /// Milliseconds from now until one more request fits under `quota`.
    public func retryAfter(quota: Int) -> Int {
        if current >= quota {
            // Only the next window can admit: there this window's count becomes the weighted previous one.
            let into = windowLength - (quota - 1) * windowLength / max(current, 1)
            return windowLength - elapsed + into
        }
        guard previous > 0 else { return 0 }
        let fits = windowLength - (quota - 1 - current) * windowLength / previous
        return max(0, fits - elapsed)
    }
}
