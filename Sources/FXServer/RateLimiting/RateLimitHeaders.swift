import FXCore
import HTTPTypes

/// The IETF httpapi rate-limit headers (draft-ietf-httpapi-ratelimit-headers-11) and `Retry-After`.
enum RateLimitHeaders {
    static let policy = HTTPField.Name("RateLimit-Policy")!
    static let state = HTTPField.Name("RateLimit")!

    /// `"minute";q=60;w=60, "day";q=1000;w=86400`
    static func policyValue(_ windows: [RateLimitWindow]) -> String {
        windows.map { "\"\($0.name)\";q=\($0.quota);w=\($0.seconds)" }.joined(separator: ", ")
    }

    /// `"minute";r=17;t=42` for the window closest to exhaustion.
    static func stateValue(_ window: RateLimitDecision.WindowState) -> String {
        "\"\(window.window.name)\";r=\(window.remaining);t=\(window.resetSeconds)"
    }

    /// - Parameter policyValue: `policyValue(windows)` of the windows decided on, made once per policy.
    static func apply(_ decision: RateLimitDecision, policyValue: String, to headers: inout HTTPFields) {
        headers[policy] = policyValue
        if let tightest = decision.tightest { headers[state] = stateValue(tightest) }
        if let retryAfter = decision.retryAfterSeconds { headers[.retryAfter] = String(retryAfter) }
    }
}
