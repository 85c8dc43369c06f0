import Histogram

/// Outcomes of a set of requests: statuses, errors by kind and latency. The run keeps one for everything,
/// one per template and one per second.
public struct Tally: Sendable {
    public private(set) var scheduled = 0
    public private(set) var sent = 0
    public private(set) var responses = 0
    public private(set) var statuses: [Int: Int] = [:]
    public private(set) var errors: [ErrorKind: Int] = [:]
    /// From the intended send time to the complete response.
    public private(set) var corrected: LatencyHistogram
    /// From the moment the request was written to the complete response (what a closed-loop tool reports).
    public private(set) var uncorrected: LatencyHistogram

    public init(significantDigits: LatencyHistogram.Digits = .three) {
        corrected = LatencyHistogram(significantDigits: significantDigits)
        uncorrected = LatencyHistogram(significantDigits: significantDigits)
    }

    public mutating func countScheduled() { scheduled += 1 }
    public mutating func countSent() { sent += 1 }

    public mutating func recordResponse(status: Int, expected: Bool, correctedNanos: Int64, uncorrectedNanos: Int64) {
        responses += 1
        statuses[status, default: 0] += 1
        if !expected { errors[.unexpectedStatus, default: 0] += 1 }
        corrected.record(nanos: correctedNanos)
        uncorrected.record(nanos: uncorrectedNanos)
    }

    public mutating func recordError(_ kind: ErrorKind) {
        errors[kind, default: 0] += 1
    }

    public mutating func add(_ other: Tally) {
        scheduled += other.scheduled
        sent += other.sent
        responses += other.responses
        statuses.merge(other.statuses, uniquingKeysWith: +)
        errors.merge(other.errors, uniquingKeysWith: +)
        corrected.add(other.corrected)
        uncorrected.add(other.uncorrected)
    }

    /// Requests that failed: every transport error and every unexpected status.
    public var errorCount: Int { errors.values.reduce(0, +) }
    public var transportErrorCount: Int { errors.filter { $0.key.isTransport }.values.reduce(0, +) }
    public var serverErrorCount: Int { statuses.filter { $0.key >= 500 }.values.reduce(0, +) }
}
