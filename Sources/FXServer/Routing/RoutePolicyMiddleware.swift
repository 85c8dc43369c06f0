import HTTPTypes
import Hummingbird
import Logging

/// Everything a request passes through besides its handler, as its route's policy says: a request id,
/// the caller, the rate limit, problems for every error, the request metrics and one log line.
///
/// One middleware per route group rather than a stack of them: each step is a plain call, and the
/// order is visible here. The caller is settled before the limit, so that an API key's own limits apply;
/// a refused key is answered (401) inside the limit, so that its response carries the limit's headers.
struct RoutePolicyMiddleware: RouterMiddleware {
    typealias Context = FXRequestContext

    /// Nil decides per request, for requests no route matched.
    let policy: RoutePolicy?
    let authenticator: APIKeyAuthenticator
    let limiter: RateLimitEnforcer
    let problems: ProblemAnswer
    let metrics: RequestMetrics
    let crossOrigin: CrossOriginHeaders

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let policy = self.policy ?? .ofUnmatched(path: request.uri.path)
        var context = context
        let requestID = RequestID.accepting(request.headers[.requestID]) ?? RequestID.generate()
        context.requestID = requestID
        metrics.started(request.method)

        var rejection: (any Error)?
        if policy.authentication == .apiKey {
            do {
                context.caller = try await authenticator.caller(of: request, context: context)
            } catch {
                rejection = error
            }
        }
        context.logger.tag(requestID: requestID, tenant: context.caller.tenant)

        func answer() async -> Response {
            do {
                if let rejection { throw rejection }
                try QueryLengthLimit.check(request)
                return try await next(request, context)
            } catch {
                return problems.response(to: error, for: request, logger: context.logger)
            }
        }
        var response = policy.limit == .none
            ? await answer()
            : await limiter.limit(request, context: context, as: policy.limit, answer: answer)
        response.headers[.requestID] = requestID
        // Browsers must not guess another type than the one declared (a JSON body rendered as HTML).
        response.headers[.xContentTypeOptions] = "nosniff"
        if policy.crossOrigin { crossOrigin.apply(to: &response.headers, answering: request) }

        let elapsed = ContinuousClock.now - context.receivedAt
        metrics.finished(route: context.endpointPath ?? "NotFound", method: request.method, status: response.status,
                         after: elapsed)
        if context.logger.logLevel <= policy.logLevel {
            context.logger.log(level: policy.logLevel, "request", metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .stringConvertible(LoggedMilliseconds(elapsed)),
            ])
        }
        return response
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-ID")!
}

extension Logger {
    /// Puts the request id (in place of Hummingbird's own) and the tenant on every line this logger writes,
    /// with one copy of the metadata rather than one per key.
    fileprivate mutating func tag(requestID: String, tenant: String) {
        var metadata = handler.metadata
        metadata["hb.request.id"] = nil
        metadata["request_id"] = .string(requestID)
        metadata["tenant"] = .string(tenant)
        handler.metadata = metadata
    }
}
