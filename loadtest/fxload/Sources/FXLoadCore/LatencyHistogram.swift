import Histogram

/// Latencies in microseconds from 1 µs to 10 minutes; anything longer is recorded as 10 minutes (a request
/// times out long before, so only a misconfigured run gets there).
public struct LatencyHistogram: Sendable {
    public static let highestMicros: UInt64 = 600_000_000
    var histogram: Histogram<UInt64>

    public typealias Digits = SignificantDigits

    public init(significantDigits: SignificantDigits = .three) {
        histogram = Histogram(highestTrackableValue: Self.highestMicros, numberOfSignificantValueDigits: significantDigits)
    }

    public mutating func record(nanos: Int64) {
        let micros = UInt64(max(0, nanos) / 1000)
        histogram.record(min(micros, Self.highestMicros))
    }

    public mutating func add(_ other: LatencyHistogram) { histogram.add(other.histogram) }

    public var count: UInt64 { histogram.totalCount }

    /// The value at `percentile` (0–100) in milliseconds; 0 when nothing was recorded.
    public func millis(atPercentile percentile: Double) -> Double {
        count == 0 ? 0 : Double(histogram.valueAtPercentile(percentile)) / 1000
    }

    public var maxMillis: Double { count == 0 ? 0 : Double(histogram.max) / 1000 }

    public var summary: Percentiles {
        Percentiles(
            p50: millis(atPercentile: 50), p90: millis(atPercentile: 90), p99: millis(atPercentile: 99),
            p999: millis(atPercentile: 99.9), max: maxMillis)
    }
}

/// Milliseconds at the percentiles the report shows.
public struct Percentiles: Sendable, Codable, Equatable {
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var max: Double

    enum CodingKeys: String, CodingKey {
        case p50 = "p50_ms", p90 = "p90_ms", p99 = "p99_ms", p999 = "p99_9_ms", max = "max_ms"
    }
}
