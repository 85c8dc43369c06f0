import Hummingbird

/// Every route of the API, in one place: the router registers them and the 405 answer lists their methods.
enum Endpoint: CaseIterable {
    case convert, rates, ratesHistory, currencies, health, ready, openAPI

    var path: String {
        switch self {
        case .convert: "/v1/convert"
        case .rates: "/v1/rates"
        case .ratesHistory: "/v1/rates/history"
        case .currencies: "/v1/currencies"
        case .health: "/health"
        case .ready: "/ready"
        case .openAPI: "/openapi.json"
        }
    }

    var method: HTTPRequest.Method { .get }

    /// The methods some endpoint answers on `path`, HEAD included wherever GET is.
    static func allowedMethods(on path: String) -> [HTTPRequest.Method] {
        let methods = allCases.filter { $0.path == path }.map(\.method)
        return methods.contains(.get) ? methods + [.head] : methods
    }
}

extension Router {
    @discardableResult
    func on(_ endpoint: Endpoint, use handler: @escaping @Sendable (Request, Context) async throws -> Response)
        -> Self
    {
        on(RouterPath(endpoint.path), method: endpoint.method, use: handler)
    }
}
