import FXCore
import HTTPTypes
import Hummingbird

/// Applies sliding-window limits to a request, and puts the `RateLimit-Policy` and `RateLimit` headers on
/// every response it lets through or refuses, errors included.
struct RateLimitEnforcer: Sendable {
    let gate: RateLimitGate
    let limits: RateLimiting
    let metrics: RateLimitMetrics

    /// Answers with `answer` when the limit allows, with a 429 (or a 503 when limits cannot be checked and
    /// the fallback is closed) when it does not.
    func limit(
        _ request: Request, context: FXRequestContext, as limit: RoutePolicy.Limit,
        answer: () async -> Response
    ) async -> Response {
        let (key, windows) = subject(of: request, context: context, limit: limit)
        switch await gate.acquire(key: key, windows: windows) {
        case .unavailable:
            var response = Problem.rateLimitingUnavailable.response
            response.headers[RateLimitHeaders.policy] = RateLimitHeaders.policyValue(windows)
            return response
        case .decided(let decision):
            if !decision.allowed { metrics.recordLimited(tenant: context.caller.tenant) }
            var response = decision.allowed ? await answer() : Problem.tooManyRequests(decision).response
            RateLimitHeaders.apply(decision, windows: windows, to: &response.headers)
            return response
        }
    }

    /// Whom the request counts against, as a bounded Redis-safe key, and under which windows.
    private func subject(of request: Request, context: FXRequestContext, limit: RoutePolicy.Limit)
        -> (key: String, windows: [RateLimitWindow])
    {
        if limit == .perCaller, case .apiKey(let identity) = context.caller {
            return ("key:\(identity.keyID)", (identity.limits ?? limits.apiKeyDefault).windows)
        }
        let address = limits.trustedProxies.clientAddress(
            peer: context.peerAddress ?? "unknown", forwardedFor: request.headers[values: .xForwardedFor])
        // Hashing bounds the key's length whatever the address looks like.
        return ("ip:" + SHA256.hash(Array(address.utf8)).prefix(16).hexString, limits.anonymous.windows)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
