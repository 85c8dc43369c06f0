import Logging
import OTel
import ServiceLifecycle

/// The OTLP/HTTP trace exporter and its batch processor, as one service that `buildApplication` runs with the
/// server and that exports what is left when the group shuts down gracefully.
///
/// Only tracing is bootstrapped: `/metrics` stays on swift-prometheus (swift-otel's Prometheus exporter is not
/// supported, and swift-metrics can be bootstrapped once), and logs stay on `JSONLogHandler`.
public struct TraceExport: Sendable {
    let service: any Service
    /// Decides which requests and loads are traced; swift-otel records whatever it is asked to.
    let sampler: TraceSampler

    /// Bootstraps the process's tracer from `settings` and the standard `OTEL_*` variables of `environment`
    /// (the batch processor's `OTEL_BSP_*`, `OTEL_EXPORTER_OTLP_HEADERS`, …). Call it once per process.
    public static func bootstrap(_ settings: TracingSettings, environment: [String: String], logger: Logger)
        throws -> TraceExport
    {
        var configuration = OTel.Configuration.default
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.serviceName = "fxrates"
        // fxrates samples before it asks for a span (`TraceSampler`): swift-otel's own sampler would decide
        // again, after paying for the ids, and a ratio would apply twice. So it records every span, unless
        // nothing is ever sampled, where its no-op fast path stays.
        let sampler = TraceSampler(settings)
        configuration.traces.sampler = sampler.samplesNothing ? .alwaysOff : .alwaysOn
        // swift-otel's own diagnostics go to the JSON log, not to a second format on standard error.
        var diagnostics = logger
        diagnostics[metadataKey: "component"] = "otel"
        configuration.diagnosticLogger = .custom(diagnostics)
        configuration.diagnosticLogLevel = .warning
        // An empty variable is unset, as in `Settings` (the ConfigMap lists the endpoint empty while off).
        let service = try OTel.bootstrap(configuration: configuration, environment: environment.filter {
            !$0.value.isEmpty && !["OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG"].contains($0.key)
        })
        // The endpoint is not logged: its URL may carry credentials.
        logger.info("exporting traces over OTLP/HTTP", metadata: [
            "sampler": .string(settings.sampler ?? "parentbased_always_on"),
        ])
        return TraceExport(service: service, sampler: sampler)
    }

    /// Puts the active span's `trace_id` and `span_id` on every log line written inside it.
    public static var loggingMetadataProvider: Logger.MetadataProvider {
        OTel.makeLoggingMetadataProvider()
    }
}
