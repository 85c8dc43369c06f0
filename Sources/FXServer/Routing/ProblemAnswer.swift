import FXCore
import FXStorage
import Hummingbird
import Logging

/// Turns every error into an RFC 9457 problem response, so nothing can leak a bare error and an
/// unmatched path or method gets a precise 404 or 405.
struct ProblemAnswer: Sendable {
    /// The endpoints the router serves, for telling 405 from 404.
    let endpoints: [Endpoint]
    /// `FX_CORS_ORIGINS` is set, so the cross-origin routes answer OPTIONS too.
    var answersPreflights = false

    func response(to error: any Error, for request: Request, logger: Logger) -> Response {
        let problem = problem(for: error, request: request)
        if problem.status.kind == .serverError {
            logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
        }
        return problem.response
    }

    private func problem(for error: any Error, request: Request) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as ExchangeRateError:
            return .rateNotFound(error.description)
        case is APIKeyStoreUnavailable:
            return .keyStoreUnavailable
        case is RatesNotLoadedError:
            return .serviceUnavailable("Rates have not been loaded from the database yet; retry later")
        case is StorageUnavailableError:
            return .serviceUnavailable("The database is unavailable; retry later")
        case let error as HTTPError where error.status == .notFound:
            let path = request.uri.path
            let allowed = Endpoint.allowedMethods(on: path, among: endpoints, answersPreflights: answersPreflights)
            return allowed.isEmpty
                ? .notFound(path: path)
                : .methodNotAllowed(request.method, path: path, allowed: allowed)
        case let error as any HTTPResponseError where error.status.kind == .clientError:
            return Problem(status: error.status, detail: (error as? HTTPError)?.body ?? error.status.reasonPhrase)
        default:
            return .internalError
        }
    }
}
