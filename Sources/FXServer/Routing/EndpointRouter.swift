import Hummingbird

/// Registers each endpoint in the route group of its policy (`Endpoint.policy`, the one table), so a
/// controller names its endpoints and never chooses middleware.
final class EndpointRouter {
    private let router = Router(context: FXRequestContext.self, options: .autoGenerateHeadEndpoints)
    private let middleware: (RoutePolicy?) -> RoutePolicyMiddleware
    private var groups: [RoutePolicy: RouterGroup<FXRequestContext>] = [:]

    /// - Parameter tracing: wraps every route, unmatched requests included (router middleware applies to the
    ///   routes added after it).
    init(middleware: @escaping (RoutePolicy?) -> RoutePolicyMiddleware,
         tracing: RequestTracingMiddleware<FXRequestContext>? = nil) {
        self.middleware = middleware
        if let tracing { router.add(middleware: tracing) }
    }

    func on(_ endpoint: Endpoint, use handler: @escaping @Sendable (Request, FXRequestContext) async throws -> Response) {
        group(endpoint.policy).on(RouterPath(endpoint.path), method: endpoint.method, use: handler)
    }

    /// Registers the CORS preflight (`OPTIONS`) of `endpoint`, in the preflight policy's group.
    func onPreflight(of endpoint: Endpoint,
                     use handler: @escaping @Sendable (Request, FXRequestContext) async throws -> Response) {
        group(.preflight).on(RouterPath(endpoint.path), method: .options, use: handler)
    }

    /// The router, with the middleware of unmatched requests added last: Hummingbird applies router
    /// middleware only to routes added after it, so it wraps the not-found answer alone.
    func finish() -> Router<FXRequestContext> {
        router.add(middleware: middleware(nil))
        return router
    }

    private func group(_ policy: RoutePolicy) -> RouterGroup<FXRequestContext> {
        if let group = groups[policy] { return group }
        let group = router.group().add(middleware: middleware(policy))
        groups[policy] = group
        return group
    }
}
