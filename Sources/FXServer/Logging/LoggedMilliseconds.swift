import FXSupport

/// A duration in a log line: milliseconds with three decimals (`0.691`), a JSON number.
///
/// A `Double` of milliseconds prints its binary noise (`0.6908730000000001`); microseconds are the
/// precision the clock gives a request anyway.
public struct LoggedMilliseconds: CustomStringConvertible, Sendable {
    /// Whole microseconds, rounded to the nearest.
    public let microseconds: Int64

    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        microseconds = seconds * 1_000_000 + (attoseconds + 500_000_000_000) / 1_000_000_000_000
    }

    public var description: String {
        let sign = microseconds < 0 ? "-" : ""
        let magnitude = microseconds.magnitude
        return "\(sign)\(magnitude / 1000).\((magnitude % 1000).zeroPadded(3))"
    }
}
