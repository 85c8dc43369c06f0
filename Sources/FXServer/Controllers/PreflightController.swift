import Hummingbird

/// `OPTIONS` on the cross-origin routes, when `FX_CORS_ORIGINS` is set: an empty 204 to which the route
/// policy's middleware adds the CORS headers (`CrossOriginHeaders`).
struct PreflightController {
    func addRoutes(to router: EndpointRouter) {
        for endpoint in Endpoint.allCases where endpoint.answersPreflight {
            router.onPreflight(of: endpoint, use: preflight)
        }
    }

    @Sendable func preflight(_ request: Request, context: FXRequestContext) async throws -> Response {
        Response(status: .noContent)
    }
}
