import FXCore
import Foundation
import Hummingbird

/// `PUT /v1/admin/rates/{date}`: authorize, parse, write through the service, encode.
struct AdminRatesController {
    static let maximumBodyBytes = 64 * 1024

    let service: AdminRatesService
    let authorization: AdminAuthorization
    let today: @Sendable () -> Day

    func addRoutes(to router: EndpointRouter) {
        router.on(.adminRates, use: put)
    }

    @Sendable func put(_ request: Request, context: FXRequestContext) async throws -> Response {
        try authorization.check(request)
        let body = try await request.body.collect(upTo: Self.maximumBodyBytes)
        let update = try RatesUpdateParser(today: today())
            .parse(date: context.parameters.get("date") ?? "", body: Data(buffer: body))
        let outcome = try await service.put(update, logger: context.logger)
        return JSONBody.response(outcome.json(for: update))
    }
}
