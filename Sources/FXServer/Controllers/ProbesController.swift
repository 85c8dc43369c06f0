import Hummingbird

/// `GET /health` (liveness: the process answers) and `GET /ready` (readiness of this replica),
/// both as `application/health+json`.
struct ProbesController {
    let readiness: Readiness

    func addRoutes(to router: EndpointRouter) {
        router.on(.health, use: health)
        router.on(.ready, use: ready)
    }

    /// The same bytes every time: liveness says only that the process answers.
    private static let healthBody = JSONBody.encode(healthJSON(.pass))

    @Sendable func health(_ request: Request, context: FXRequestContext) -> Response {
        JSONBody.response(Self.healthBody, contentType: MediaType.healthJSON)
    }

    @Sendable func ready(_ request: Request, context: FXRequestContext) -> Response {
        let checks = [
            readiness.isDraining
                ? HealthCheck(name: "lifecycle:draining", status: .fail, output: "the replica is shutting down")
                : HealthCheck(name: "lifecycle:draining", status: .pass),
            readiness.hasRates
                ? HealthCheck(name: "rates:loaded", status: .pass)
                : HealthCheck(name: "rates:loaded", status: .fail, output: "rates are not loaded yet"),
        ]
        return JSONBody.response(healthJSON(readiness.isReady ? .pass : .fail, checks: checks),
                                 status: readiness.isReady ? .ok : .serviceUnavailable,
                                 contentType: MediaType.healthJSON)
    }
}
