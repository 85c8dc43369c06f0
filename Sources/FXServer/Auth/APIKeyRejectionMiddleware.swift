import Hummingbird

/// Throws the rejection ``APIKeyMiddleware`` recorded, inside the problem middleware and the request log.
struct APIKeyRejectionMiddleware: RouterMiddleware {
    typealias Context = FXRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if let rejection = context.rejection { throw rejection }
        return try await next(request, context)
    }
}
