import FXCore
import Hummingbird
import Tracing

/// Settles who calls an API route from the API key it presents.
struct APIKeyAuthenticator: Sendable {
    let keys: APIKeyCache
    let requireAPIKey: Bool
    let unknownKeys: UnknownKeyLimit
    /// Notes when each key was last used; nil without a database.
    let uses: APIKeyUseRecorder?

    /// - Throws: a 401 problem for a missing (when required), malformed, unknown, revoked or expired key;
    ///   a 429 problem while the client address is refused lookups for presenting unknown keys;
    ///   ``APIKeyStoreUnavailable`` when the key store cannot answer.
    func caller(of request: Request, context: FXRequestContext) async throws -> Caller {
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
            var limiterKey: String?
            let answer = try await withRequestChildSpan("api key lookup") { span in
                let answer = try await keys.lookUp(key.hash) {
                    limiterKey = try unknownKeys.admit(request, context: context)
                }
                if let span { describe(answer, on: span) }
                return answer
            }
            guard let identity = answer.identity else {
                if answer.queried, let limiterKey { await unknownKeys.recordUnknown(limiterKey) }
                throw Problem.invalidAPIKey("The API key is unknown, revoked or expired")
            }
            uses?.note(identity.keyID)
            return .apiKey(identity)
        }
    }

    /// Where the answer came from; never the key, its hash or its id.
    private func describe(_ answer: APIKeyCache.Answer, on span: any Span) {
        guard answer.queried else {
            span.attributes["fxrates.api_key.source"] = "cache"
            return
        }
        span.attributes["fxrates.api_key.source"] = keys.storeSystem ?? "memory"
        span.attributes["db.system.name"] = keys.storeSystem
    }
}
