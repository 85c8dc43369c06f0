import FXCore
import Hummingbird

/// `GET /v1/currencies`.
struct CurrenciesController {
    let service: ConversionService
    let caching: ResponseCaching

    func addRoutes(to router: EndpointRouter) {
        router.on(.currencies, use: currencies)
    }

    @Sendable func currencies(_ request: Request, context: FXRequestContext) async throws -> Response {
        caching.response(JSONBody.encode(currenciesJSON(try await service.listings())), freshness: .latest,
                         for: request)
    }
}
