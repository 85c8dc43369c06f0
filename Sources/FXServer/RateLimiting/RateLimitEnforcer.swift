import FXCore
import HTTPTypes
import Hummingbird

/// Applies sliding-window limits to a request, and puts the `RateLimit-Policy` and `RateLimit` headers on
/// every response it lets through or refuses, errors included.
struct RateLimitEnforcer: Sendable {
    /// Whom a request counts against, under which windows, and those windows as a `RateLimit-Policy` value.
    private struct Subject {
        let key: String
        let windows: [RateLimitWindow]
        let policyValue: String
    }

    private let gate: RateLimitGate
    private let limits: RateLimiting
    private let metrics: RateLimitMetrics
    private let anonymousPolicyValue: String
    private let apiKeyDefaultPolicyValue: String

    init(gate: RateLimitGate, limits: RateLimiting, metrics: RateLimitMetrics) {
        self.gate = gate
        self.limits = limits
        self.metrics = metrics
        anonymousPolicyValue = RateLimitHeaders.policyValue(limits.anonymous.windows)
        apiKeyDefaultPolicyValue = RateLimitHeaders.policyValue(limits.apiKeyDefault.windows)
    }

    /// Answers with `answer` when the limit allows, with a 429 (or a 503 when limits cannot be checked and
    /// the fallback is closed) when it does not.
    func limit(
        _ request: Request, context: FXRequestContext, as limit: RoutePolicy.Limit,
        answer: () async -> Response
    ) async -> Response {
        let subject: Subject
        do {
            subject = try self.subject(of: request, context: context, limit: limit)
        } catch {
            return error.response
        }
        switch await gate.acquire(key: subject.key, windows: subject.windows) {
        case .unavailable:
            var response = Problem.rateLimitingUnavailable.response
            response.headers[RateLimitHeaders.policy] = subject.policyValue
            return response
        case .decided(let decision):
            if !decision.allowed { metrics.recordLimited(tenant: context.caller.tenant) }
            var response = decision.allowed ? await answer() : Problem.tooManyRequests(decision).response
            RateLimitHeaders.apply(decision, policyValue: subject.policyValue, to: &response.headers)
            return response
        }
    }

    /// Whom the request counts against, as a bounded Redis-safe key, and under which windows.
    private func subject(of request: Request, context: FXRequestContext, limit: RoutePolicy.Limit) throws(Problem) -> Subject {
        if limit == .perCaller, case .apiKey(let identity) = context.caller {
            let key = "key:\(identity.keyID)"
            guard let own = identity.limits else {
                return Subject(key: key, windows: limits.apiKeyDefault.windows, policyValue: apiKeyDefaultPolicyValue)
            }
            return Subject(key: key, windows: own.windows, policyValue: RateLimitHeaders.policyValue(own.windows))
        }
        return Subject(key: try limits.addressBuckets.bucket(of: request, context: context),
                       windows: limits.anonymous.windows, policyValue: anonymousPolicyValue)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
