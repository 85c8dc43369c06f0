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
        let (previous, current, elapsed, length) = bounded
        return previous * (length - elapsed) + (current + 1) * length <= Self.bounded(quota) * length
    }

    /// Whole requests that still fit under `quota`.
    public func remaining(quota: Int) -> Int {
        let (previous, current, elapsed, length) = bounded
        return Int(clamping: max(0, (Self.bounded(quota) * length - previous * (length - elapsed) - current * length) / length))
    }

    /// Milliseconds from now until one more request fits under `quota`.
    public func retryAfter(quota: Int) -> Int {
        let (previous, current, elapsed, length) = bounded
        let quota = Self.bounded(quota)
        if current >= quota {
            // Only the next window can admit: there this window's count becomes the weighted previous one.
            let into = length - (quota - 1) * length / max(current, 1)
            return Int(clamping: length - elapsed + into)
        }
        guard previous > 0 else { return 0 }
        let fits = length - (quota - 1 - current) * length / previous
        return Int(clamping: max(0, fits - elapsed))
    }

    /// The counters as 128-bit integers within the ranges a counter can have: counts and the window from 0 (the
    /// window from 1) to 2⁶², the elapsed time within the window. Every product above then fits with room to
    /// spare, so no value (a quota from the environment, a count read back from Redis) can make the arithmetic
    /// trap; within those ranges, which every real counter is in, nothing changes.
    private var bounded: (previous: Int128, current: Int128, elapsed: Int128, length: Int128) {
        let length = Int128(min(max(windowLength, 1), Self.largest))
        return (Self.bounded(previous), Self.bounded(current), min(Int128(max(elapsed, 0)), length), length)
    }

    private static let largest = 1 << 62

    private static func bounded(_ value: Int) -> Int128 {
        Int128(min(max(value, 0), largest))
    }
}
