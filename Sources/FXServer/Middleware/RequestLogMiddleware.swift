import HTTPTypes
import Hummingbird
import Logging

/// Gives each request an id and writes one structured log line when its response leaves.
///
/// The id comes from `X-Request-ID` when the client sent a usable one (so a trace can cross services),
/// is generated otherwise, and is echoed back in the response.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = FXRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        let requestID = RequestID.accepting(request.headers[.requestID]) ?? RequestID.generate()
        context.requestID = requestID
        context.logger[metadataKey: "request_id"] = .string(requestID)
        context.logger[metadataKey: "hb.request.id"] = nil

        var response = try await next(request, context)
        response.headers[.requestID] = requestID
        let elapsed = ContinuousClock.now - context.receivedAt
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
            "status": .stringConvertible(response.status.code),
            "duration_ms": .stringConvertible(elapsed / .microseconds(1) / 1000),
        ])
        return response
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-ID")!
}
