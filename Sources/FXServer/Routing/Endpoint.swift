import Hummingbird

/// Every route of the API, in one place: the router registers them and the 405 answer lists their methods.
enum Endpoint: CaseIterable {
    case convert, rates, ratesHistory, currencies, health, ready, metrics, openAPI, adminRates, adminRatesDeletion
    /// The API reference page and the files it loads (`DocsController`).
    case docs, docsAsset

    var path: String {
        switch self {
        case .convert: "/v1/convert"
        case .rates: "/v1/rates"
        case .ratesHistory: "/v1/rates/history"
        case .currencies: "/v1/currencies"
        case .health: "/health"
        case .ready: "/ready"
        case .metrics: "/metrics"
        case .openAPI: "/openapi.json"
        case .docs: "/docs"
        case .docsAsset: "/docs/{asset}"
        case .adminRates, .adminRatesDeletion: "/v1/admin/rates/{date}"
        }
    }

    var method: HTTPRequest.Method {
        switch self {
        case .adminRates: .put
        case .adminRatesDeletion: .delete
        default: .get
        }
    }

    /// The methods one of `endpoints` answers on `path`, HEAD included wherever GET is, and OPTIONS where
    /// a preflight is answered.
    static func allowedMethods(on path: String, among endpoints: [Endpoint], answersPreflights: Bool = false)
        -> [HTTPRequest.Method]
    {
        let matching = endpoints.filter { $0.matches(path) }
        var methods = matching.map(\.method)
        if methods.contains(.get) { methods.append(.head) }
        if answersPreflights, matching.contains(where: \.answersPreflight) { methods.append(.options) }
        return methods
    }

    /// Whether `path` fits this endpoint's path, where a `{name}` segment stands for any one non-empty segment.
    func matches(_ path: String) -> Bool {
        let pattern = self.path.split(separator: "/", omittingEmptySubsequences: false)
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return pattern.count == segments.count && zip(pattern, segments).allSatisfy { expected, actual in
            expected.hasPrefix("{") ? !actual.isEmpty : expected == actual
        }
    }
}
