import FXCore
import HTTPTypes
import Hummingbird

/// Applies sliding-window limits to every `/v1` request: per API key with the key's own limits, per client
/// address for anonymous callers. It sits outside the problem middleware so that every `/v1` response,
/// errors included, carries the `RateLimit-Policy` and `RateLimit` headers.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = FXRequestContext

    let gate: RateLimitGate
    let limits: RateLimiting
    let metrics: RateLimitMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard request.uri.path.split(separator: "/").first == "v1" else { return try await next(request, context) }
        let (key, windows) = subject(of: request, context: context)
        switch await gate.acquire(key: key, windows: windows) {
        case .unavailable:
            var response = try Problem.rateLimitingUnavailable.response(from: request, context: context)
            response.headers[RateLimitHeaders.policy] = RateLimitHeaders.policyValue(windows)
            return response
        case .decided(let decision):
            if !decision.allowed { metrics.recordLimited(tenant: context.caller.tenant) }
            var response = decision.allowed
                ? try await next(request, context)
                : try Problem.tooManyRequests(decision).response(from: request, context: context)
            RateLimitHeaders.apply(decision, windows: windows, to: &response.headers)
            return response
        }
    }

    /// Whom the request counts against, as a bounded Redis-safe key, and under which windows.
    private func subject(of request: Request, context: Context) -> (key: String, windows: [RateLimitWindow]) {
        switch context.caller {
        case .apiKey(let identity):
            return ("key:\(identity.keyID)", (identity.limits ?? limits.apiKeyDefault).windows)
        case .anonymous:
            let address = limits.trustedProxies.clientAddress(
                peer: context.peerAddress ?? "unknown", forwardedFor: request.headers[values: .xForwardedFor])
            // Hashing bounds the key's length whatever the address looks like.
            return ("ip:" + SHA256.hash(Array(address.utf8)).prefix(16).hexString, limits.anonymous.windows)
        }
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
