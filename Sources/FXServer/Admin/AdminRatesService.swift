import FXCore
import FXStorage
import Logging

/// Writes rates to PostgreSQL and makes this replica's history show them before the caller answers.
public struct AdminRatesService: Sendable {
    static let actor = "admin"

    private let writer: RatesWriter
    private let store: ReloadableRateStore
    private let publisher: InvalidationPublisher?

    /// - Parameter publisher: tells the other replicas about writes; nil when there is no Redis.
    public init(writer: RatesWriter, store: ReloadableRateStore, publisher: InvalidationPublisher? = nil) {
        self.writer = writer
        self.store = store
        self.publisher = publisher
    }

    func put(_ update: RatesUpdate, logger: Logger) async throws -> RatesUpdateOutcome {
        let outcome = try await writer.write(update, actor: Self.actor)
        guard !outcome.changed.isEmpty else { return outcome }
        do {
            try await store.reload(day: update.date)
        } catch {
            // Committed already: the answer stays 200 and the refresh service catches up.
            logger.warning("rates written but the history could not be reloaded", metadata: ["error": "\(error)"])
        }
        await publisher?.publish(.rates(on: update.date))
        return outcome
    }
}
