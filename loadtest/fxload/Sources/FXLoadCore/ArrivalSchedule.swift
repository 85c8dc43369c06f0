/// The intended send times of an open-model run: request `i` is due `i / rate` seconds after the start,
/// whatever happened to the requests before it. Offsets are whole nanoseconds computed from the index alone,
/// so they never drift the way a running sum of intervals would.
public struct ArrivalSchedule: Sendable, Equatable {
    public let rate: Double
    public let warmupNanos: Int64
    public let durationNanos: Int64
    /// Requests in the whole run, the warm-up included: every index whose offset falls before its end.
    public let totalCount: Int
    /// The first request of the measured phase: the first whose offset is at or after the warm-up's end.
    public let firstMeasuredIndex: Int

    /// `rate` per second (> 0), phases in seconds (warm-up ≥ 0, duration > 0); the caller validates them.
    public init(rate: Double, warmupSeconds: Double, durationSeconds: Double) {
        self.rate = rate
        warmupNanos = Int64((warmupSeconds * 1e9).rounded())
        durationNanos = Int64((durationSeconds * 1e9).rounded())
        totalCount = Self.count(before: warmupNanos + durationNanos, rate: rate)
        firstMeasuredIndex = Self.count(before: warmupNanos, rate: rate)
    }

    public var measuredCount: Int { totalCount - firstMeasuredIndex }

    /// Nanoseconds from the start of the run (the warm-up's start) to request `index`'s intended send time.
    public func offset(of index: Int) -> Int64 { Self.offset(of: index, rate: rate) }

    /// Nanoseconds from the start of the measured phase; negative during the warm-up.
    public func measuredOffset(of index: Int) -> Int64 { offset(of: index) - warmupNanos }

    /// How many requests are due `elapsed` nanoseconds into the run: those with an offset at or before it.
    public func dueCount(atElapsed elapsed: Int64) -> Int {
        guard elapsed >= 0 else { return 0 }
        return min(totalCount, Self.count(before: elapsed + 1, rate: rate))
    }

    /// The indexes one of `workers` sends: `worker`, `worker + workers`, …, from `next` up to those due by `elapsed`.
    public func dueIndexes(from next: Int, workers: Int, atElapsed elapsed: Int64) -> StrideTo<Int> {
        stride(from: next, to: max(next, dueCount(atElapsed: elapsed)), by: workers)
    }

    /// When to wake for request `index`: its offset rounded up to a multiple of `tickNanos` (0: exactly).
    /// At high rates one wake-up then sends several requests, instead of one timer per request; each is sent
    /// at most one tick late, never early, and the lateness is part of its corrected latency.
    public func wakeOffset(of index: Int, tickNanos: Int64) -> Int64 {
        let exact = offset(of: index)
        guard tickNanos > 1 else { return exact }
        let (ticks, remainder) = exact.quotientAndRemainder(dividingBy: tickNanos)
        return remainder == 0 ? exact : (ticks + 1) * tickNanos
    }

    /// The second of the measured phase request `index` was meant for (0-based), or nil during the warm-up.
    public func measuredSecond(of index: Int) -> Int? {
        let offset = measuredOffset(of: index)
        return offset < 0 ? nil : Int(offset / 1_000_000_000)
    }

    static func offset(of index: Int, rate: Double) -> Int64 {
        Int64((Double(index) * 1e9 / rate).rounded(.down))
    }

    /// The number of indexes whose offset is before `nanos`, found by estimate then corrected with `offset`
    /// itself, so that the count and the offsets can never disagree through floating-point rounding.
    static func count(before nanos: Int64, rate: Double) -> Int {
        guard nanos > 0 else { return 0 }
        var count = max(0, Int((Double(nanos) * rate / 1e9).rounded(.up)))
        while count > 0 && offset(of: count - 1, rate: rate) >= nanos { count -= 1 }
        while offset(of: count, rate: rate) < nanos { count += 1 }
        return count
    }
}
