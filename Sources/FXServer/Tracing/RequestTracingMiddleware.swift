import HTTPTypes
import Hummingbird
import Tracing

/// One server span per request, named `GET /v1/convert` after the route's template, continuing the trace of an
/// incoming W3C `traceparent`; the request's handler and middleware run with it as the current span.
///
/// In place of Hummingbird's `TracingMiddleware`, which names the span by the template alone, records the query
/// string, and marks a 5xx as an error only when it is thrown: here every error is answered as a response first.
/// Attributes follow the OpenTelemetry HTTP semantic conventions; no header, query or body is recorded, so no API
/// key, token or password can reach a span. A 4xx leaves the span's status unset, as the conventions ask of server
/// spans (the client erred, not the server); a 5xx sets it to error, with `error.type` the status code.
///
/// Installed only when tracing is on: off, no request pays for it.
struct RequestTracingMiddleware<Context: RequestContext>: RouterMiddleware {
    let tracer: any Tracer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var parent = InstrumentationContext.current ?? .topLevel
        tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let method = Self.methodName(request.method)
        // Hummingbird has matched the route before the middleware of its group runs.
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 }
        let span = tracer.startSpan(route.map { "\(method) \($0)" } ?? method, context: parent, ofKind: .server)
        guard span.isRecording else {
            // Not sampled (99 % of requests at 1 %): nothing of it is exported, so the request runs without it,
            // and pays for no attributes, child spans or ids in its log lines.
            defer { span.end() }
            return try await next(request, context)
        }
        span.updateAttributes { attributes in
            attributes["http.request.method"] = method
            if method == "_OTHER" { attributes["http.request.method_original"] = request.method.rawValue }
            attributes["url.path"] = request.uri.path
            attributes["url.scheme"] = "http"
            attributes["http.route"] = route
        }
        do {
            let response = try await InstrumentationContext.$current.withValue(span.context) {
                try await next(request, context)
            }
            Self.record(response.status, on: span)
            // Ends when the response is made, before its body is written: fxrates' bodies are in memory,
            // and Hummingbird's hook for the end of the write is not public.
            span.end()
            return response
        } catch {
            Self.record((error as? any HTTPResponseError)?.status ?? .internalServerError, on: span)
            span.recordError(error)
            span.end()
            throw error
        }
    }

    private static func record(_ status: HTTPResponse.Status, on span: any Span) {
        span.attributes["http.response.status_code"] = status.code
        if status.code >= 500 {
            span.attributes["error.type"] = String(status.code)
            span.setStatus(SpanStatus(code: .error))
        }
    }

    /// The method as the conventions name it: one of the registered methods, or `_OTHER`.
    private static func methodName(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .delete, .connect, .options, .trace, .patch: method.rawValue
        default: "_OTHER"
        }
    }
}

/// Reads `traceparent` and `tracestate` (the propagator asks by name) from the request's headers.
private struct HTTPFieldsExtractor: Extractor {
    func extract(key name: String, from headers: HTTPFields) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }
}
