import ArgumentParser
import FXCore
import FXServer
import Foundation
import Logging
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API. Settings come from the environment (FX_HOST, FX_PORT, FX_LOG_LEVEL, …).")

    func run() async throws {
        let settings = try loadSettings()
        bootstrapLogging(settings)
        let logger = Logger(label: "fxrates")

        let readiness = Readiness()
        logger.info("no DATABASE_URL: serving the embedded ECB rate history from memory")
        let store = try InMemoryRateStore.bundledECB()
        readiness.markRatesLoaded()

        let (apiKeys, keyDatabase) = makeAPIKeyStore(logger: logger)
        let dependencies = AppDependencies(
            store: store, readiness: readiness, apiKeys: apiKeys, requireAPIKey: settings.requireAPIKey)
        let app = try buildApplication(settings: settings, dependencies: dependencies, logger: logger)
        let drain = DrainService(readiness: readiness, drainTime: .seconds(settings.drainSeconds), logger: logger)
        // Services stop in reverse order, so the key database outlives the server.
        let services: [any Service] = (keyDatabase.map { [$0] } ?? []) + [app, drain]
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Reads the settings, or stops the process with one line that names the bad variable.
func loadSettings() throws -> Settings {
    do {
        return try Settings(environment: ProcessInfo.processInfo.environment)
    } catch {
        FileHandle.standardError.write(Data("fxrates: \(error)\n".utf8))
        throw ExitCode(2)
    }
}

/// Logging is bootstrapped once per process, here only: bootstrapping twice crashes.
func bootstrapLogging(_ settings: Settings) {
    LoggingSystem.bootstrap { label in
        switch settings.logFormat {
        case .json:
            return JSONLogHandler(label: label, level: settings.logLevel)
        case .text:
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = settings.logLevel
            return handler
        }
    }
}
