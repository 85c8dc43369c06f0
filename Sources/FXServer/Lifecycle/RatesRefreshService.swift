import FXCore
import FXStorage
import Logging
import ServiceLifecycle
import FXSupport

/// Loads the rate history from PostgreSQL (or the Redis snapshot) until it succeeds once (which makes the replica ready),
/// then keeps it fresh, so writes of other replicas and imports show up without a restart.
///
/// Until the schema has every migration this build needs and the database holds rates (the migration Job
/// may still be running), the replica stays unready and checks again with short pauses: a replica without
/// any rate would answer every request with a 404. Other failures are retried with capped
/// exponential backoff and jitter. Each change between working and failing is logged once, not once per attempt.
public struct RatesRefreshService: Service {
    private let gate: SchemaGate
    private let loader: any RateHistorySource
    private let store: ReloadableRateStore
    private let readiness: Readiness
    private let health: DependencyHealth
    private let logger: Logger
    private let backoff: ReconnectBackoff
    private let schemaBackoff: ReconnectBackoff
    private let refreshInterval: Duration

    public init(gate: SchemaGate, loader: any RateHistorySource, store: ReloadableRateStore, readiness: Readiness,
                health: DependencyHealth = DependencyHealth(), logger: Logger,
                backoff: ReconnectBackoff = .init(initialDelay: .milliseconds(250), maximumDelay: .seconds(30)),
                schemaBackoff: ReconnectBackoff = .init(initialDelay: .milliseconds(250), maximumDelay: .seconds(5)),
                refreshInterval: Duration = .seconds(30)) {
        self.gate = gate
        self.loader = loader
        self.store = store
        self.readiness = readiness
        self.health = health
        self.logger = logger
        self.backoff = backoff
        self.schemaBackoff = schemaBackoff
        self.refreshInterval = refreshInterval
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await refreshUntilCancelled() }
    }

    private func refreshUntilCancelled() async {
        var prepared = false
        var loadedFingerprint: String?
        var failures = 0
        while !Task.isCancelled {
            do {
                if !prepared {
                    let newerVersions = try await gate.prepare()
                    if !newerVersions.isEmpty {
                        logger.notice("the database schema has versions newer than this build; serving it",
                                      metadata: ["migration.newer_versions": "\(newerVersions)"])
                    }
                    prepared = true
                }
                let fingerprint = try await loader.fingerprint()
                if fingerprint != loadedFingerprint {
                    try await ReloadThread.run { try await store.reload() }
                    loadedFingerprint = fingerprint
                }
                if try store.coverage().isEmpty { throw NoRatesYet() }
                if failures > 0 || !readiness.hasRates {
                    logger.info("rates loaded from PostgreSQL; serving them from memory")
                }
                health.record(.postgres, up: true)
                readiness.markRatesLoaded()
                failures = 0
                try await Task.sleep(for: refreshInterval)
            } catch is CancellationError {
                return
            } catch let waiting where waiting is SchemaNotCurrentError || waiting is NoRatesYet {
                // PostgreSQL answers; the schema or the rates are simply not there yet, so it counts as up.
                health.record(.postgres, up: true)
                if failures == 0 { logger.warning("unready until the migration Job has run: \(waiting)") }
                failures += 1
                try? await Task.sleep(for: schemaBackoff.delay(afterFailures: failures))
            } catch {
                health.record(.postgres, up: false)
                if failures == 0 {
                    logger.warning(
                        readiness.hasRates
                            ? "cannot refresh rates from PostgreSQL; serving the last history and retrying"
                            : "cannot load rates from PostgreSQL; /v1 answers 503 until it can, retrying",
                        metadata: ["error": "\(error)"])
                }
                failures += 1
                try? await Task.sleep(for: backoff.delay(afterFailures: failures))
            }
        }
    }
}

/// The schema is current but no rate has been imported yet.
private struct NoRatesYet: Error, CustomStringConvertible {
    var description: String { "the database holds no rates: import them with `fxrates import ecb`" }
}
