/// One client's count in one sliding window, cut into `subWindowsPerWindow` sub-windows: the sum of the
/// sub-windows the window covers in full (the current one included), plus the one it is leaving, weighted by
/// how much of it the window still covers.
///
/// This is Cloudflare's sliding-window counter with the fixed window cut finer. The plain counter weighs the
/// whole previous window as if its requests were spread evenly, so a client pinned above its limit, whose
/// admitted requests bunch at the end of a window, got a third more than its quota through in some trailing
/// window; the error is at most what one sub-window holds, 1/50 of the window here. Memory stays bounded:
/// at most 51 counts per window, and only sub-windows that admitted something are stored.
///
/// All arithmetic is in integer milliseconds so that the in-process limiter and the Redis script
/// (`SlidingWindowScript`, which mirrors these formulas) decide exactly alike.
public struct SlidingWindowCounter: Hashable, Sendable {
    /// Requests in the sub-window the window is leaving.
    public let leaving: Int
    /// Requests in the sub-windows the window covers in full, the current one included.
    public let inWindow: Int
    /// Milliseconds since the current sub-window began.
    public let elapsed: Int
    public let subWindowLength: Int
    /// The counts of the covered sub-windows, oldest first, when they were read: only a window that
    /// cannot admit needs them, to say when it will.
    public let covered: [Int]

    /// Sub-windows per window. 50 divides every window of whole seconds into whole milliseconds (20 ms per
    /// second of window), and in simulation it kept a client sending steadily at 1.5× a 60-a-minute limit
    /// from ever getting a 61st request into a trailing minute.
    public static let subWindowsPerWindow = 50

    public init(leaving: Int, inWindow: Int, elapsed: Int, subWindowLength: Int, covered: [Int] = []) {
        self.leaving = leaving
        self.inWindow = inWindow
        self.elapsed = elapsed
        self.subWindowLength = subWindowLength
        self.covered = covered
    }

    /// The sub-window length of a window of `seconds`, bounded so that any window divides without trapping.
    public static func subWindowLength(ofWindowSeconds seconds: Int) -> Int {
        min(max(seconds, 1), longestWindowSeconds) * 1000 / subWindowsPerWindow
    }

    /// A year: far past any policy's longest window (a day), and small enough in milliseconds for any clock.
    private static let longestWindowSeconds = 366 * 86_400

    /// Whether one more request fits: `leaving × (B − e) / B + inWindow + 1 ≤ quota`, multiplied out by B.
    public func admits(quota: Int) -> Bool {
        let (leaving, inWindow, elapsed, length) = bounded
        return leaving * (length - elapsed) + (inWindow + 1) * length <= Self.bounded(quota) * length
    }

    /// Whole requests that still fit under `quota`.
    public func remaining(quota: Int) -> Int {
        let (leaving, inWindow, elapsed, length) = bounded
        return Int(clamping: max(0, (Self.bounded(quota) * length - leaving * (length - elapsed) - inWindow * length) / length))
    }

    /// Milliseconds left in the current sub-window: when the count next falls back by a whole sub-window.
    public var untilSubWindowEnds: Int {
        let (_, _, elapsed, length) = bounded
        return Int(clamping: length - elapsed)
    }

    /// Milliseconds from now until one more request fits under `quota`, if nothing else is admitted meanwhile.
    ///
    /// While the covered sub-windows leave room, only the leaving one's weight has to fall. Otherwise covered
    /// sub-windows have to leave too: each becomes the leaving one in turn, at the next sub-window boundaries.
    /// Without their counts (`covered` empty), the answer assumes the worst, that all of them are in the
    /// current sub-window.
    public func retryAfter(quota: Int) -> Int {
        let (leaving, inWindow, elapsed, length) = bounded
        let quota = Self.bounded(quota)
        if inWindow < quota {
            return Int(clamping: max(0, Self.untilWeightFits(leaving, room: quota - 1 - inWindow, length: length) - elapsed))
        }
        let subWindows = Int128(Self.subWindowsPerWindow)
        guard covered.count == Self.subWindowsPerWindow else {
            return Int(clamping: length - elapsed + subWindows * length)
        }
        // From the end of the current sub-window, covered sub-window j is leaving during [j·B, (j+1)·B).
        var stillCovered = inWindow
        for (position, count) in covered.enumerated() {
            let count = Self.bounded(count)
            stillCovered -= min(count, stillCovered)
            if stillCovered < quota {
                let start = length - elapsed + Int128(position) * length
                return Int(clamping: start + Self.untilWeightFits(count, room: quota - 1 - stillCovered, length: length))
            }
        }
        return Int(clamping: length - elapsed + subWindows * length)
    }

    /// Milliseconds into a leaving sub-window of `count` requests until its weighted share is at most `room`:
    /// the least t with `count × (B − t) ≤ room × B`.
    private static func untilWeightFits(_ count: Int128, room: Int128, length: Int128) -> Int128 {
        guard count > room else { return 0 }
        let excess = (count - room) * length
        return excess / count + (excess % count == 0 ? 0 : 1)
    }

    /// The counters as 128-bit integers within the ranges a counter can have: counts and the sub-window from 0
    /// (the sub-window from 1) to 2⁶², the elapsed time within the sub-window. Every product above then fits
    /// with room to spare, so no value (a quota from the environment, a count read back from Redis) can make
    /// the arithmetic trap; within those ranges, which every real counter is in, nothing changes.
    private var bounded: (leaving: Int128, inWindow: Int128, elapsed: Int128, length: Int128) {
        let length = Int128(min(max(subWindowLength, 1), Self.largest))
        return (Self.bounded(leaving), Self.bounded(inWindow), min(Int128(max(elapsed, 0)), length), length)
    }

    private static let largest = 1 << 62

    private static func bounded(_ value: Int) -> Int128 {
        Int128(min(max(value, 0), largest))
    }
}
