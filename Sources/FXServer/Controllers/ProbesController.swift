import Hummingbird

/// `GET /health` (liveness: the process answers) and `GET /ready` (readiness of this replica),
/// both as `application/health+json`.
struct ProbesController {
    let readiness: Readiness

    func addRoutes(to router: Router<FXRequestContext>) {
        router.on(.health, use: health)
        router.on(.ready, use: ready)
    }

    @Sendable func health(_ request: Request, context: FXRequestContext) throws -> Response {
        try JSONBody.response(HealthResponse(status: .pass), contentType: MediaType.healthJSON)
    }

    @Sendable func ready(_ request: Request, context: FXRequestContext) throws -> Response {
        let checks: [String: [HealthResponse.Check]] = [
            "rates:loaded": [readiness.hasRates ? .init(status: .pass) : .init(status: .fail, output: "rates are not loaded yet")],
            "lifecycle:draining": [readiness.isDraining ? .init(status: .fail, output: "the replica is shutting down") : .init(status: .pass)],
        ]
        let body = HealthResponse(status: readiness.isReady ? .pass : .fail, checks: checks)
        return try JSONBody.response(body, status: readiness.isReady ? .ok : .serviceUnavailable,
                                     contentType: MediaType.healthJSON)
    }
}
