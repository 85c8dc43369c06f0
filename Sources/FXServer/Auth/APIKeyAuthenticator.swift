import FXCore
import Hummingbird

/// Settles who calls an API route from the API key it presents.
struct APIKeyAuthenticator: Sendable {
    let keys: APIKeyCache
    let requireAPIKey: Bool

    /// - Throws: a 401 problem for a missing (when required), malformed, unknown or revoked key;
    ///   ``APIKeyStoreUnavailable`` when the key store cannot answer.
    func caller(of request: Request) async throws -> Caller {
        switch PresentedCredential(request.headers) {
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
