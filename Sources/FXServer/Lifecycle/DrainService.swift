import Logging
import ServiceLifecycle

/// On graceful shutdown, fails readiness first and keeps serving for a while, so the load balancer
/// stops routing to this replica before its listener closes. Run it after the application in a
/// `ServiceGroup`: services shut down in reverse order, so this one goes first.
public struct DrainService: Service {
    let readiness: Readiness
    let drainTime: Duration
    let logger: Logger

    public init(readiness: Readiness, drainTime: Duration, logger: Logger) {
        self.readiness = readiness
        self.drainTime = drainTime
        self.logger = logger
    }

    public func run() async throws {
        try? await gracefulShutdown()
        readiness.markDraining()
        logger.info("draining: /ready now answers 503", metadata: ["drain_seconds": "\(drainTime.components.seconds)"])
        try? await Task.sleep(for: drainTime)
    }
}
