import FXCore
import FXStorage
import Logging
import Tracing

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
        let outcome = try await withRequestChildSpan("admin rates write") { span in
            span.map { Self.describe(update.date, on: $0) }
            return try await writer.write(update, actor: Self.actor)
        }
        if !outcome.changed.isEmpty { await changed(update.date, logger: logger) }
        return outcome
    }

    /// Deletes the rates of `day` (of `quotes` alone when given).
    func delete(day: Day, quotes: [CurrencyCode]?, logger: Logger) async throws -> RatesDeletion {
        let deletion = try await withRequestChildSpan("admin rates delete") { span in
            span.map { Self.describe(day, on: $0) }
            return try await writer.delete(day: day, quotes: quotes, actor: Self.actor)
        }
        if !deletion.rows.isEmpty { await changed(day, logger: logger) }
        return deletion
    }

    private static func describe(_ day: Day, on span: any Span) {
        span.attributes["db.system.name"] = "postgresql"
        span.attributes["fxrates.rates.day"] = day.description
    }

    /// After a commit that changed `day`: this replica serves it before the caller is answered, the others
    /// are told.
    private func changed(_ day: Day, logger: Logger) async {
        do {
            try await store.reload(day: day)
        } catch {
            // Committed already: the answer stays 200 and the refresh service catches up.
            logger.warning("rates changed but the history could not be reloaded", metadata: ["error": "\(error)"])
        }
        await publisher?.publish(.rates(on: day))
    }
}
