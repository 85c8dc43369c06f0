import FXCore
import Hummingbird

/// `GET /v1/convert`: parse every parameter, ask the service, encode.
struct ConvertController {
    let service: ConversionService
    let today: @Sendable () -> Day
    let caching: ResponseCaching

    func addRoutes(to router: EndpointRouter) {
        router.on(.convert, use: convert)
    }

    @Sendable func convert(_ request: Request, context: FXRequestContext) async throws -> Response {
        var query = QueryParser(request)
        let from = query.required("from", ParameterParsers.currency)
        let to = query.required("to", ParameterParsers.currency)
        let amount = query.required("amount", ParameterParsers.amount)
        let today = today()
        let date = query.optional("date", ParameterParsers.day(notAfter: today))
        let rounding = query.optional("rounding", ParameterParsers.rounding) ?? .default
        guard let from, let to, let amount, query.errors.isEmpty else { throw Problem.validation(query.errors) }

        let conversion = try await service.convert(
            ConversionRequest(from: from, to: to, amount: amount, date: date, rounding: rounding))
        return caching.response(conversion.json, freshness: CacheFreshness(of: date, today: today), for: request)
    }
}
