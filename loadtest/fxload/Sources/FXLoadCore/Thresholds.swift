import Foundation

/// The limits a run must hold (each optional), checked against its report. Latency limits apply to the
/// corrected figures: those are what a client waiting on an open schedule sees.
public struct Thresholds: Sendable, Equatable {
    public var maxP99Millis: Double?
    public var maxP999Millis: Double?
    public var maxErrorRatio: Double?
    public var maxServerErrors: Int?
    public var minAchievedRatio: Double?

    public init(
        maxP99Millis: Double? = nil, maxP999Millis: Double? = nil, maxErrorRatio: Double? = nil,
        maxServerErrors: Int? = nil, minAchievedRatio: Double? = nil
    ) {
        self.maxP99Millis = maxP99Millis
        self.maxP999Millis = maxP999Millis
        self.maxErrorRatio = maxErrorRatio
        self.maxServerErrors = maxServerErrors
        self.minAchievedRatio = minAchievedRatio
    }

    public func evaluate(_ measured: Measured) -> [ThresholdResult] {
        var results: [ThresholdResult] = []
        func atMost(_ name: String, _ limit: Double?, _ value: Double) {
            if let limit { results.append(ThresholdResult(name: name, limit: limit, measured: value, held: value <= limit)) }
        }
        atMost("max-p99-ms", maxP99Millis, measured.p99Millis)
        atMost("max-p999-ms", maxP999Millis, measured.p999Millis)
        atMost("max-error-ratio", maxErrorRatio, measured.errorRatio)
        atMost("max-5xx", maxServerErrors.map(Double.init), Double(measured.serverErrors))
        if let minAchievedRatio {
            results.append(
                ThresholdResult(
                    name: "min-achieved-ratio", limit: minAchievedRatio, measured: measured.achievedRatio,
                    held: measured.achievedRatio >= minAchievedRatio))
        }
        return results
    }

    /// The figures thresholds look at.
    public struct Measured: Sendable, Equatable {
        public var p99Millis: Double
        public var p999Millis: Double
        public var errorRatio: Double
        public var serverErrors: Int
        public var achievedRatio: Double
    }
}

public struct ThresholdResult: Sendable, Codable, Equatable {
    public let name: String
    public let limit: Double
    public let measured: Double
    public let held: Bool

    public var description: String {
        "\(held ? "held" : "BROKEN"): \(name) \(formatFigure(limit)), measured \(formatFigure(measured))"
    }
}

func formatFigure(_ value: Double) -> String {
    String(format: "%.6g", value)
}
