import FXCore
import Hummingbird

/// `GET /v1/rates` and `GET /v1/rates/history`.
struct RatesController {
    /// The most days `end` may be after `start` in one history request.
    static let maximumHistoryDays = 366

    let service: ConversionService
    let today: @Sendable () -> Day
    let caching: ResponseCaching

    func addRoutes(to router: EndpointRouter) {
        router.on(.rates, use: rates)
        router.on(.ratesHistory, use: history)
    }

    @Sendable func rates(_ request: Request, context: FXRequestContext) async throws -> Response {
        var query = QueryParser(request)
        let base = query.optional("base", ParameterParsers.currency) ?? .eur
        let symbols = query.optional("symbols", ParameterParsers.currencyList) ?? []
        let today = today()
        let date = query.optional("date", ParameterParsers.day(notAfter: today))
        guard query.errors.isEmpty else { throw Problem.validation(query.errors) }

        let sheet = try await service.rates(base: base, symbols: symbols, on: date)
        return caching.response(RatesResponse.body(sheet), freshness: CacheFreshness(of: date, today: today),
                                for: request)
    }

    @Sendable func history(_ request: Request, context: FXRequestContext) async throws -> Response {
        var query = QueryParser(request)
        let base = query.optional("base", ParameterParsers.currency) ?? .eur
        let symbols = query.optional("symbols", ParameterParsers.currencyList) ?? []
        let today = today()
        let start = query.required("start", ParameterParsers.day(notAfter: today))
        let end = query.required("end", ParameterParsers.day(notAfter: today))
        if let start, let end {
            let days = end.daysSinceEpoch - start.daysSinceEpoch
            if start > end {
                query.fail("start", "must not be after end (\(end))")
            } else if days > Self.maximumHistoryDays {
                query.fail("end", "must be at most \(Self.maximumHistoryDays) days after start; it is \(days)")
            }
        }
        guard let start, let end, query.errors.isEmpty else { throw Problem.validation(query.errors) }

        let series = try await service.history(base: base, symbols: symbols, from: start, through: end)
        return caching.response(RatesResponse.body(series), freshness: CacheFreshness(of: end, today: today),
                                for: request)
    }
}
