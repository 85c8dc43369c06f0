import FXCore
import Hummingbird

/// Settles who calls a `/v1` route from the API key it presents, and tags the logger with the tenant.
///
/// It runs before the request log and the problem middleware so that both see the caller, and it never
/// answers by itself: a rejection is recorded in the context for ``APIKeyRejectionMiddleware`` to throw
/// inside them. Admin routes (`/v1/admin/…`) have their own token and are left alone, as are the probes
/// and the OpenAPI document.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = FXRequestContext

    let keys: APIKeyCache
    let requireAPIKey: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        if Self.needsAPIKey(path: request.uri.path) {
            do {
                context.caller = try await caller(presenting: PresentedCredential(request.headers))
            } catch {
                context.rejection = error
            }
        }
        context.logger[metadataKey: "tenant"] = .string(context.caller.tenant)
        return try await next(request, context)
    }

    /// Splits the path the way the router does, so that `//v1/convert` cannot slip past.
    static func needsAPIKey(path: String) -> Bool {
        let components = path.split(separator: "/")
        return components.first == "v1" && components.dropFirst().first != "admin"
    }

    private func caller(presenting credential: PresentedCredential) async throws -> Caller {
        switch credential {
        case .none:
            guard !requireAPIKey else { throw Problem.apiKeyRequired }
            return .anonymous
        case .unusable(let reason):
            throw Problem.invalidAPIKey(reason)
        case .key(let text):
            guard let key = APIKey(text) else {
                throw Problem.invalidAPIKey("The API key is malformed: keys are fx_ and 43 base64url characters")
            }
            guard let identity = try await keys.identity(for: key.hash) else {
                throw Problem.invalidAPIKey("The API key is unknown or revoked")
            }
            return .apiKey(identity)
        }
    }
}
