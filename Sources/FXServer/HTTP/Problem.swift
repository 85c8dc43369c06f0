import FXCore
import Hummingbird

/// An RFC 9457 problem: every error response of fxrates is one, as `application/problem+json`.
public struct Problem: Error, HTTPResponseError {
    /// One bad query parameter; a validation problem lists them all.
    public struct ParameterError: Equatable, Sendable {
        public let parameter: String
        public let detail: String
    }

    public let type: String
    public let title: String
    public let status: HTTPResponse.Status
    public let detail: String
    public var errors: [ParameterError]?
    /// Extra response headers, such as `Allow` for 405.
    public var headers: HTTPFields = [:]

    public init(type: String = "about:blank", title: String? = nil, status: HTTPResponse.Status, detail: String,
                errors: [ParameterError]? = nil) {
        self.type = type
        self.title = title ?? status.reasonPhrase
        self.status = status
        self.detail = detail
        self.errors = errors
    }

    var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", .string(type)), ("title", .string(title)), ("status", .integer(status.code)),
            ("detail", .string(detail)),
        ]
        if let errors {
            members.append(("errors", .array(errors.map {
                .object([("parameter", .string($0.parameter)), ("detail", .string($0.detail))])
            })))
        }
        return .object(members)
    }

    public func response(from request: Request, context: some RequestContext) -> Response {
        response
    }

    var response: Response {
        var headers = headers
        headers[.contentType] = MediaType.problemJSON
        return Response(status: status, headers: headers, body: .init(byteBuffer: JSONBody.encode(json)))
    }
}

extension Problem {
    static func validation(_ errors: [ParameterError]) -> Problem {
        let names = errors.map(\.parameter).joined(separator: ", ")
        return Problem(
            type: "urn:fxrates:problem:validation-error", title: "Invalid request parameters",
            status: .unprocessableContent, detail: "The request has invalid parameters: \(names)", errors: errors)
    }

    static func rateNotFound(_ detail: String) -> Problem {
        Problem(type: "urn:fxrates:problem:rate-not-found", title: "Exchange rate not found", status: .notFound,
                detail: detail)
    }

    static func notFound(path: String) -> Problem {
        Problem(status: .notFound, detail: "No resource at \(path)")
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method]) -> Problem {
        var problem = Problem(status: .methodNotAllowed, detail: "\(method) is not allowed on \(path)")
        problem.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return problem
    }

    static func tooManyRequests(_ decision: RateLimitDecision) -> Problem {
        let window = decision.windows.first { $0.remaining == 0 }?.window.name ?? "rate"
        let retry = decision.retryAfterSeconds ?? 1
        return Problem(type: "urn:fxrates:problem:rate-limited", status: .tooManyRequests,
                       detail: "The \(window) limit is used up; retry in \(retry) s")
    }

    static let rateLimitingUnavailable = Problem(
        type: "urn:fxrates:problem:rate-limiting-unavailable", status: .serviceUnavailable,
        detail: "Rate limits cannot be checked right now and FX_RATE_LIMIT_FALLBACK is closed; retry shortly")

    static func serviceUnavailable(_ detail: String) -> Problem {
        var problem = Problem(status: .serviceUnavailable, detail: detail)
        problem.headers[.retryAfter] = "5"
        return problem
    }

    static let internalError = Problem(
        status: .internalServerError, detail: "The server failed to answer; the request id in the logs tells more")
}
