import HTTPTypes
import Metrics
import Synchronization

/// The request series Hummingbird's `MetricsMiddleware` writes (`hb_requests`, `http_server_request_duration`,
/// `http_server_active_requests`), with the same names and labels that dashboards and alerts read, from
/// handles made once per route, method and status instead of looked up through the factory per request.
final class RequestMetrics: Sendable {
    private struct Key: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: Int
    }

    private struct Handles {
        let requests: Counter
        let duration: Timer
    }

    private struct State {
        var handles: [Key: Handles] = [:]
        var active: [HTTPRequest.Method: Meter] = [:]
    }

    private let state = Mutex(State())

    func started(_ method: HTTPRequest.Method) {
        activeRequests(method).increment()
    }

    func finished(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status, after elapsed: Duration) {
        activeRequests(method).decrement()
        let handles = handles(Key(route: route, method: method, status: status.code))
        handles.requests.increment()
        let (seconds, attoseconds) = elapsed.components
        handles.duration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    private func activeRequests(_ method: HTTPRequest.Method) -> Meter {
        state.withLock { state in
            if let meter = state.active[method] { return meter }
            let meter = Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method.rawValue)])
            state.active[method] = meter
            return meter
        }
    }

    private func handles(_ key: Key) -> Handles {
        state.withLock { state in
            if let handles = state.handles[key] { return handles }
            let dimensions = [("http.route", key.route), ("http.request.method", key.method.rawValue),
                              ("http.response.status_code", String(key.status))]
            let handles = Handles(requests: Counter(label: "hb.requests", dimensions: dimensions),
                                  duration: Timer(label: "http.server.request.duration", dimensions: dimensions,
                                                  preferredDisplayUnit: .seconds))
            state.handles[key] = handles
            return handles
        }
    }
}
