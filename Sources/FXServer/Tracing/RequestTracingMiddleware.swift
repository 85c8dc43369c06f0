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
    let sampler: TraceSampler

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard let parent = sampledParent(of: request) else {
            // Not sampled (99 % of requests at 1 %): nothing of it would be exported, so the request runs
            // without a span, and pays for no ids, attributes, child spans or ids in its log lines.
            return try await next(request, context)
        }
        let method = Self.methodName(request.method)
        // Hummingbird has matched the route before the middleware of its group runs.
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 }
        // swift-otel records every span it is asked for (`TraceExport`): the sampler has decided.
        let span = tracer.startSpan(route.map { "\(method) \($0)" } ?? method, context: parent, ofKind: .server)
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

    /// The context the request's span continues, or nil when the sampler drops the request. Only a request
    /// that carries a `traceparent` pays for the propagator, and it is handed those two headers alone: swift-otel
    /// logs the carrier of a `traceparent` it cannot parse, and the request's other headers may carry a key.
    private func sampledParent(of request: Request) -> InstrumentationContext? {
        var parent = InstrumentationContext.current ?? .topLevel
        guard let traceParent = request.headers[.traceParent] else {
            return sampler.samplesRoot() ? parent : nil
        }
        let incoming = IncomingTraceContext(traceParent: traceParent, traceState: request.headers[.traceState])
        tracer.extract(incoming, into: &parent, using: IncomingTraceContext.Reader())
        return sampler.samples(continuing: parent) ? parent : nil
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

/// A request's W3C trace context headers, the carrier swift-otel's propagator reads; described without their
/// values, which are the client's.
private struct IncomingTraceContext: CustomStringConvertible {
    let traceParent: String
    let traceState: String?

    var description: String { "the traceparent and tracestate headers" }

    /// Answers the propagator, which asks for `traceparent` and `tracestate` by name.
    struct Reader: Extractor {
        func extract(key name: String, from carrier: IncomingTraceContext) -> String? {
            switch name {
            case "traceparent": carrier.traceParent
            case "tracestate": carrier.traceState
            default: nil
            }
        }
    }
}

extension HTTPField.Name {
    static let traceParent = Self("traceparent")!
    static let traceState = Self("tracestate")!
}
