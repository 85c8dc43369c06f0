import ArgumentParser
import FXServer
import Foundation
import Logging
import Metrics
import Prometheus

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API. Settings come from the environment (FX_HOST, FX_PORT, DATABASE_URL, …).",
        discussion: """
            Logs go to standard output as JSON, one object a line (FX_LOG_FORMAT=text for text).

            Example:
              export DATABASE_URL=postgresql://fxrates@127.0.0.1/fxrates
              FX_PORT=8080 fxrates serve
              curl 'http://127.0.0.1:8080/v1/convert?from=EUR&to=USD&amount=100'
            """)

    func run() async throws {
        MemoryTuning.apply()
        let settings = try loadSettings()
        bootstrapLogging(settings, metadataProvider: settings.tracing.map { _ in TraceExport.loggingMetadataProvider })
        var environment = ApplicationEnvironment()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: environment.metrics))
        let logger = Logger(label: "fxrates")
        if let tracing = settings.tracing {
            do {
                environment.traceExport = try TraceExport.bootstrap(
                    tracing, environment: ProcessInfo.processInfo.environment, logger: logger)
            } catch {
                throw failure("tracing: \(error)", code: 2)
            }
        }
        try await buildServer(settings: settings, environment: environment, logger: logger).run()
    }
}

/// Reads the settings, or stops the process with one line that names the bad variable.
func loadSettings() throws -> Settings {
    do {
        return try Settings(environment: ProcessInfo.processInfo.environment)
    } catch {
        throw failure("\(error)", code: 2)
    }
}

/// Logging is bootstrapped once per process, here only: bootstrapping twice crashes.
/// - Parameter metadataProvider: adds metadata to every line (the active span's ids, when tracing is on).
func bootstrapLogging(_ settings: Settings, metadataProvider: Logger.MetadataProvider? = nil) {
    LoggingSystem.bootstrap({ label, metadataProvider in
        switch settings.logFormat {
        case .json:
            return JSONLogHandler(label: label, level: settings.logLevel, metadataProvider: metadataProvider)
        case .text:
            var handler = StreamLogHandler.standardOutput(label: label, metadataProvider: metadataProvider)
            handler.logLevel = settings.logLevel
            return handler
        }
    }, metadataProvider: metadataProvider)
}
