import FXCore
import FXPostgres
import FXStorage
import Logging
import ServiceLifecycle

/// Loads the rate snapshot from PostgreSQL until it succeeds once (which makes the replica ready),
/// then keeps it fresh, so writes of other replicas and imports show up without a restart.
///
/// Failures are retried with capped exponential backoff and jitter; each change between working and
/// failing is logged once, not once per attempt. A schema this build does not know stops the service,
/// and with it the process.
public struct RatesRefreshService: Service {
    private let gate: SchemaGate
    private let loader: any RateHistorySource
    private let store: PostgresRateStore
    private let readiness: Readiness
    private let logger: Logger
    private let backoff: ReconnectBackoff
    private let refreshInterval: Duration

    public init(gate: SchemaGate, loader: any RateHistorySource, store: PostgresRateStore, readiness: Readiness,
                logger: Logger, backoff: ReconnectBackoff = .init(initialDelay: .milliseconds(250), maximumDelay: .seconds(30)),
                refreshInterval: Duration = .seconds(30)) {
        self.gate = gate
        self.loader = loader
        self.store = store
        self.readiness = readiness
        self.logger = logger
        self.backoff = backoff
        self.refreshInterval = refreshInterval
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown { try await refreshUntilCancelled() }
    }

    private func refreshUntilCancelled() async throws {
        var prepared = false
        var loadedFingerprint: String?
        var failures = 0
        while !Task.isCancelled {
            do {
                if !prepared {
                    try await gate.prepare()
                    prepared = true
                }
                let fingerprint = try await loader.fingerprint()
                if fingerprint != loadedFingerprint {
                    try await store.reload()
                    loadedFingerprint = fingerprint
                }
                if failures > 0 || !readiness.hasRates {
                    logger.info("rates loaded from PostgreSQL; serving them from memory")
                }
                readiness.markRatesLoaded()
                failures = 0
                try await Task.sleep(for: refreshInterval)
            } catch let error as SchemaNotCurrentError {
                logger.critical("refusing to serve: \(error)")
                throw error
            } catch is CancellationError {
                return
            } catch {
                if failures == 0 {
                    logger.warning(
                        readiness.hasRates
                            ? "cannot refresh rates from PostgreSQL; serving the last snapshot and retrying"
                            : "cannot load rates from PostgreSQL; /v1 answers 503 until it can, retrying",
                        metadata: ["error": "\(error)"])
                }
                failures += 1
                try? await Task.sleep(for: backoff.delay(afterFailures: failures))
            }
        }
    }
}
