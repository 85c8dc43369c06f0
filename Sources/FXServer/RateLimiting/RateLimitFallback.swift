/// What the rate limiter does while Redis is unreachable (`FX_RATE_LIMIT_FALLBACK`).
public enum RateLimitFallback: String, Sendable, CaseIterable {
    /// Enforce the same windows in this process, each quota divided by `FX_EXPECTED_REPLICAS`.
    case local
    /// Allow every request.
    case open
    /// Refuse every limited request with 503.
    case closed
}
