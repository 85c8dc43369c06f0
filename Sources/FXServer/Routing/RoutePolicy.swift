import Logging

/// How the API treats a route: who may call it, what its requests count against, and how loudly they
/// are logged. Every route answers its errors as RFC 9457 problems and carries `X-Request-ID`.
/// The router makes one route group per policy; nothing else looks at paths to decide these.
struct RoutePolicy: Hashable, Sendable {
    enum Authentication: Hashable, Sendable {
        /// An API key settles the caller (anonymous without one, unless `FX_REQUIRE_API_KEY`).
        case apiKey
        /// No API key is looked at: the route is public, or checks a token of its own.
        case none
    }

    enum Limit: Hashable, Sendable {
        /// Per API key with the key's limits; per client address with `FX_ANON_LIMITS` for anonymous callers.
        case perCaller
        /// Per client address with `FX_ANON_LIMITS`, whatever the request presents.
        case perClientAddress
        case none
    }

    let authentication: Authentication
    let limit: Limit
    /// The level of the one line logged per request.
    let logLevel: Logger.Level
    /// Whether browsers of the `FX_CORS_ORIGINS` origins may read its responses (errors and 429s included).
    var crossOrigin = false

    /// `/v1` data routes.
    static let api = RoutePolicy(authentication: .apiKey, limit: .perCaller, logLevel: .info, crossOrigin: true)
    /// `/v1/admin/…`: the admin token is checked by the route; abuse is bounded per client address.
    static let admin = RoutePolicy(authentication: .none, limit: .perClientAddress, logLevel: .info)
    /// Probes, metrics, the OpenAPI document and its reference page: the kubelet and the scraper pay for
    /// nothing they do not need, and their calls every few seconds stay out of the info log. A reader of
    /// the reference spends no quota on it (its four files would otherwise cost four requests a visit).
    static let operations = RoutePolicy(authentication: .none, limit: .none, logLevel: .debug)
    /// A path or method no route answers, outside `/v1`.
    static let unmatched = RoutePolicy(authentication: .none, limit: .none, logLevel: .info)
    /// A CORS preflight (`OPTIONS`) of a cross-origin route, when `FX_CORS_ORIGINS` is set: a browser sends
    /// it without credentials before the request itself, which is the one that is authenticated and limited.
    static let preflight = RoutePolicy(authentication: .none, limit: .none, logLevel: .info, crossOrigin: true)

    /// The policy of a request that no route matched, by the prefix it falls under: under `/v1` as the API
    /// (a wrong path still needs a valid key and costs quota, so probing for routes is limited), under
    /// `/v1/admin` as admin, elsewhere as unmatched.
    static func ofUnmatched(path: String) -> RoutePolicy {
        // Split as the router does, so that `//v1//admin` counts as `/v1/admin`.
        let segments = path.split(separator: "/")
        guard segments.first == "v1" else { return .unmatched }
        return segments.dropFirst().first == "admin" ? .admin : .api
    }
}

extension Endpoint {
    /// The table: every route's policy.
    var policy: RoutePolicy {
        switch self {
        case .convert, .rates, .ratesHistory, .currencies: .api
        case .adminRates, .adminRatesDeletion: .admin
        case .health, .ready, .metrics, .openAPI, .docs, .docsAsset: .operations
        }
    }

    /// Whether the route answers CORS preflights (when `FX_CORS_ORIGINS` is set).
    var answersPreflight: Bool { policy.crossOrigin }

    /// The kubelet's probes: answered even on a connection past `FX_MAX_CONNECTIONS`, so that a busy
    /// replica is neither restarted nor taken out of its Service for being busy.
    var isProbe: Bool {
        self == .health || self == .ready
    }
}
