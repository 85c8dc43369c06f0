import Hummingbird
import Prometheus

/// `GET /metrics`: the process's metrics in the Prometheus text format. Never rate limited, like the probes.
struct MetricsController {
    let registry: PrometheusCollectorRegistry
    let gauges: HealthGauges

    func addRoutes(to router: EndpointRouter) {
        router.on(.metrics, use: metrics)
    }

    @Sendable func metrics(_ request: Request, context: FXRequestContext) async -> Response {
        await gauges.sample()
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}
