import FXCore

/// Who is calling a `/v1` route: the owner of a valid API key, or an anonymous client.
public enum Caller: Sendable, Hashable {
    case anonymous
    case apiKey(APIKeyIdentity)

    /// The tenant for logs: `anonymous` without a key.
    public var tenant: String {
        switch self {
        case .anonymous: "anonymous"
        case .apiKey(let identity): identity.tenant
        }
    }
}
