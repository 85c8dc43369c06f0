import Hummingbird
import Logging
import ServiceLifecycle

/// The application `fxrates serve` runs, built from its settings: the API's routes, `/metrics` on a port of
/// its own when `FX_METRICS_PORT` is set, and every client and background service the settings call for,
/// added with `addServices` so the application starts and stops them. Tests build it the same way.
public func buildApplication(
    settings: Settings, environment: ApplicationEnvironment = .init(), logger: Logger
) throws -> some ApplicationProtocol {
    let wiring = try Wiring(settings: settings, environment: environment, logger: logger)
    let limits = ConnectionLimits(settings)
    var app = Application(
        router: try buildRouter(wiring.routes, servesMetrics: settings.metricsPort == nil,
                                sampler: environment.traceExport?.sampler),
        server: .guardedHTTP1(limits),
        configuration: .init(address: .hostname(settings.host, port: settings.port)),
        logger: logger)
    // Added first, so that it stops last: spans that end while the rest shuts down are still exported.
    if let traceExport = environment.traceExport { app.addServices(traceExport.service) }
    app.addServices(wiring.services)
    if let port = settings.metricsPort {
        app.addServices(Application(
            router: buildMetricsRouter(wiring.routes),
            server: .guardedHTTP1(limits),
            configuration: .init(address: .hostname(settings.host, port: port)),
            logger: logger))
    }
    return app
}

/// All of `fxrates serve`: the application, and the drain that fails readiness and keeps serving for
/// `FX_DRAIN_SECONDS` before the application stops, on SIGTERM or SIGINT.
public func buildServer(
    settings: Settings, environment: ApplicationEnvironment = .init(), logger: Logger
) throws -> ServiceGroup {
    let app = try buildApplication(settings: settings, environment: environment, logger: logger)
    let drain = DrainService(readiness: environment.readiness, drainTime: .seconds(settings.drainSeconds),
                             logger: logger)
    // A group stops its services in reverse order: the drain first, then the application, whose own
    // group stops its server before the clients that requests use.
    return ServiceGroup(configuration: .init(
        services: [app, drain], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
}
