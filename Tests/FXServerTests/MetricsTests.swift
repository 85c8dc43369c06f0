import FXServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import Prometheus
import Testing

/// swift-metrics can be bootstrapped once per process: every test of this suite shares this registry.
private let sharedRegistry: PrometheusCollectorRegistry = {
    let registry = PrometheusCollectorRegistry()
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    return registry
}()

@Suite("GET /metrics")
struct MetricsTests {
    @Test func countsRequestsInThePrometheusFormatWithoutLimits() async throws {
        let registry = sharedRegistry
        var environment = testEnvironment()
        environment.metrics = registry
        var settings = Settings()
        settings.anonymousLimits = try .init(parsing: "1/minute")
        let app = try buildApplication(settings: settings, environment: environment,
                                       logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await app.test(.router) { client in
            _ = try await client.execute(uri: "/v1/currencies", method: .get) { $0.status }
            _ = try await client.execute(uri: "/health", method: .get) { $0.status }
            for _ in 0..<3 {
                try await client.execute(uri: "/metrics", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                    #expect(response.headers[HTTPField.Name("RateLimit")!] == nil)
                    let text = String(buffer: response.body)
                    #expect(text.contains("# TYPE hb_requests counter"))
                    #expect(text.contains(#"http_route="/v1/currencies""#))
                    #expect(text.contains(#"http_route="/health""#), "probes count, though they are not limited")
                }
            }
        }
    }
}
