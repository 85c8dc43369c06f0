import FXCore
import Foundation
import Hummingbird

/// `PUT` and `DELETE /v1/admin/rates/{date}`: authorize, parse, change through the service, encode.
struct AdminRatesController {
    static let maximumBodyBytes = 64 * 1024

    let service: AdminRatesService
    let authorization: AdminAuthorization
    let today: @Sendable () -> Day

    func addRoutes(to router: EndpointRouter) {
        router.on(.adminRates, use: put)
        router.on(.adminRatesDeletion, use: delete)
    }

    @Sendable func put(_ request: Request, context: FXRequestContext) async throws -> Response {
        try authorization.check(request)
        let body = try await request.body.collect(upTo: Self.maximumBodyBytes)
        let update = try RatesUpdateParser(today: today())
            .parse(date: context.parameters.get("date") ?? "", body: Data(buffer: body))
        let outcome = try await service.put(update, logger: context.logger)
        return JSONBody.response(outcome.json(for: update))
    }

    @Sendable func delete(_ request: Request, context: FXRequestContext) async throws -> Response {
        try authorization.check(request)
        var query = QueryParser(request)
        var date: Day?
        switch ParameterParsers.storedDay(notAfter: today())(context.parameters.get("date") ?? "") {
        case .success(let day): date = day
        case .failure(let failure): query.fail("date", failure.detail)
        }
        let quotes = query.optional("symbols", ParameterParsers.quoteList)
        guard let date, query.errors.isEmpty else { throw Problem.validation(query.errors) }
        let deletion = try await service.delete(day: date, quotes: quotes, logger: context.logger)
        return JSONBody.response(deletion.json)
    }
}
