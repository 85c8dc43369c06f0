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
        state.withLock { Self.activeRequests(method, in: &$0) }.increment()
    }

    func finished(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status, after elapsed: Duration) {
        let key = Key(route: route, method: method, status: status.code)
        let (active, handles) = state.withLock { state in (Self.activeRequests(method, in: &state), Self.handles(key, in: &state)) }
        active.decrement()
        handles.requests.increment()
        let (seconds, attoseconds) = elapsed.components
        handles.duration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    private static func activeRequests(_ method: HTTPRequest.Method, in state: inout State) -> Meter {
        if let meter = state.active[method] { return meter }
        let meter = Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method.rawValue)])
        state.active[method] = meter
        return meter
    }

    private static func handles(_ key: Key, in state: inout State) -> Handles {
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
