import Logging
import ServiceLifecycle

/// Runs `service` for the duration of `body`, then shuts it down gracefully and waits until its `run()` has
/// returned, whether `body` threw or not.
///
/// A client that owns its background work in `run()` does nothing until it runs; this is how a command-line
/// tool or a test uses one without a long-lived `ServiceGroup` of its own. The group around the single service
/// delivers graceful shutdown exactly as `fxrates serve` does, so the same shutdown path is exercised.
@discardableResult
public func withRunning<S: Service, Result>(
    _ service: S,
    logger: Logger = Logger(label: "fxrates.lifecycle", factory: { _ in SwiftLogNoOpLogHandler() }),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (S) async throws -> Result
) async throws -> Result {
    let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { tasks in
        tasks.addTask { try await group.run() }
        let outcome: Swift.Result<Result, any Error>
        do {
            outcome = .success(try await body(service))
        } catch {
            outcome = .failure(error)
        }
        await group.triggerGracefulShutdown()
        // The body's own error explains more than a service that failed while shutting down.
        var stopError: (any Error)?
        do {
            try await tasks.waitForAll()
        } catch {
            stopError = error
        }
        let result = try outcome.get()
        if let stopError { throw stopError }
        return result
    }
}
