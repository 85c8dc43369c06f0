import FXCore
import FXPostgres
import Foundation

/// Reads every EUR-based rate from PostgreSQL into a `RateHistory`.
///
/// Only base EUR rows form the pivot tables. When several sources have a rate for the same date and
/// currency, ECB wins, then the source whose name sorts first, so every replica picks the same one.
public struct RateHistoryLoader: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// The whole history, or only the observation of `day`; a cell PostgreSQL returns that is not a valid
    /// rate is a decoding error.
    public func load(day: Day? = nil) async throws -> RateHistory {
        let rows = try await client.query(
            """
            SELECT DISTINCT ON (observed_on, quote) observed_on::text AS day, quote, rate::text AS rate
            FROM rates WHERE base = $1 AND ($3::date IS NULL OR observed_on = $3::date)
            ORDER BY observed_on, quote, source <> $2, source
            """,
            [.text(CurrencyCode.eur.rawValue), .text(RatesSource.ecb), day.map { .text($0.description) }],
            timeout: .seconds(60))
        var byDay: [Day: [CurrencyCode: Decimal]] = [:]
        for row in rows {
            guard let day = Day(parsing: try row.decode(String.self, column: "day")) else {
                throw PostgresError.decoding(column: "day", message: "is not a date")
            }
            guard let quote = CurrencyCode(parsing: try row.decode(String.self, column: "quote")) else {
                throw PostgresError.decoding(column: "quote", message: "is not a currency code")
            }
            guard let rate = try? StrictDecimal(parsing: try row.decode(String.self, column: "rate")) else {
                throw PostgresError.decoding(column: "rate", message: "is not a positive decimal")
            }
            byDay[day, default: [:]][quote] = rate.value
        }
        return RateHistory(byDay.map { RateTable(date: $0.key, perEuro: $0.value) })
    }

    /// Changes whenever a rate is written or removed; cheap enough to poll.
    public func fingerprint() async throws -> String {
        let rows = try await client.query(
            "SELECT count(*)::text || '/' || coalesce(max(written_at)::text, '') AS fingerprint FROM rates")
        return try rows.first?.decode(String.self, column: "fingerprint") ?? ""
    }
}
