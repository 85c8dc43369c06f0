/// Why a request got no usable answer. Every scheduled request ends as exactly one response or one of these.
public enum ErrorKind: String, Sendable, CaseIterable, Codable, Comparable {
    case connectRefused = "connect_refused"
    case connectTimeout = "connect_timeout"
    case connectOther = "connect_other"
    /// The peer reset the connection (ECONNRESET, EPIPE).
    case reset
    /// The connection closed (EOF) before the response was complete.
    case closed
    /// No complete response within the per-request timeout, counted from the intended send time.
    case timeout
    /// More than `--max-in-flight` requests were already queued or on the wire.
    case dropped
    /// A response whose status the template does not expect (by default anything but 2xx and 304).
    case unexpectedStatus = "unexpected_status"
    /// A response that could not be parsed, or any other failure.
    case other

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Kinds where no HTTP status came back.
    public var isTransport: Bool { self != .unexpectedStatus }
}
