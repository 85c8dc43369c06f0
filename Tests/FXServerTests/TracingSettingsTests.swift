import FXServer
import Testing

/// The `OTEL_*` variables `serve` checks: tracing on if and only if an endpoint is set and the SDK is not
/// disabled, and a bad value is a startup error naming the variable (swift-otel alone would only warn).
@Suite("Tracing settings")
struct TracingSettingsTests {
    @Test func offWithoutAnEndpointOrWhenDisabled() throws {
        #expect(try Settings(environment: [:]).tracing == nil)
        #expect(try Settings(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": ""]).tracing == nil)
        #expect(try Settings(environment: ["OTEL_TRACES_SAMPLER": "always_on"]).tracing == nil)
        for disabled in ["true", "TRUE"] {
            #expect(try Settings(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
                                               "OTEL_SDK_DISABLED": disabled]).tracing == nil)
        }
    }

    @Test func onWithEitherEndpointTheTracesOneFirst() throws {
        let shared = try #require(try Settings(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
                                                             "OTEL_SDK_DISABLED": "false"]).tracing)
        #expect(shared.endpoint == "http://collector:4318")
        let both = try #require(try Settings(environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://traces.example.com/v1/traces",
            "OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.01",
            "OTEL_SERVICE_NAME": "fxrates-eu", "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment.name=prod,a=b",
        ]).tracing)
        #expect(both.endpoint == "https://traces.example.com/v1/traces")
        #expect(both.sampler == "parentbased_traceidratio")
        #expect(both.samplerArgument == 0.01)
        #expect(both.serviceName == "fxrates-eu")
    }

    @Test(arguments: ["tracecontext", "none", "tracecontext,none"])
    func thePropagatorsSwiftOTelImplementsAreAccepted(propagators: String) throws {
        #expect(try Settings(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
                                           "OTEL_PROPAGATORS": propagators]).tracing != nil)
    }

    @Test(arguments: [
        ("OTEL_SDK_DISABLED", "yes"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "grpc://collector:4317"),
        ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://"),
        ("OTEL_TRACES_SAMPLER", "ratio"),
        ("OTEL_TRACES_SAMPLER_ARG", "1.5"),
        ("OTEL_TRACES_SAMPLER_ARG", "one percent"),
        ("OTEL_RESOURCE_ATTRIBUTES", "prod"),
        // swift-otel stops the process (fatalError) on any propagator but tracecontext and none.
        ("OTEL_PROPAGATORS", "b3"),
        ("OTEL_PROPAGATORS", "tracecontext,baggage"),
        ("OTEL_PROPAGATORS", "TraceContext"),
    ])
    func aBadValueNamesItsVariable(variable: String, value: String) {
        let error = #expect(throws: SettingsError.self) { try Settings(environment: [variable: value]) }
        #expect(error?.variable == variable)
    }
}
