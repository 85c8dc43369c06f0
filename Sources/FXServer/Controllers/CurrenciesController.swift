import FXCore
import Hummingbird

/// `GET /v1/currencies`.
struct CurrenciesController {
    let service: ConversionService

    func addRoutes(to router: EndpointRouter) {
        router.on(.currencies, use: currencies)
    }

    @Sendable func currencies(_ request: Request, context: FXRequestContext) async throws -> Response {
        JSONBody.response(currenciesJSON(try await service.listings()))
    }
}
