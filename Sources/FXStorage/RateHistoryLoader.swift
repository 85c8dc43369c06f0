import FXCore
import FXPostgres

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
        var builder = RateHistoryBuilder(expectedValues: rows.count)
        // Rows come in date order, so each date and each code is parsed once, not once per rate.
        var lastDay: (text: String, row: Int)?
        var columns: [String: Int?] = [:]
        for row in rows {
            let dayText = try row.decode(String.self, column: "day")
            if lastDay?.text != dayText {
                guard let day = Day(parsing: dayText) else {
                    throw PostgresError.decoding(column: "day", message: "is not a date")
                }
                lastDay = (dayText, builder.row(for: day))
            }
            let quoteText = try row.decode(String.self, column: "quote")
            if columns[quoteText] == nil {
                guard let quote = CurrencyCode(parsing: quoteText) else {
                    throw PostgresError.decoding(column: "quote", message: "is not a currency code")
                }
                columns[quoteText] = .some(builder.column(for: quote))
            }
            var rateText = try row.decode(String.self, column: "rate")
            guard let rate = rateText.withUTF8({ ScaledDecimal(plainText: UnsafeRawBufferPointer($0)) }),
                  let tableRow = lastDay?.row,
                  (columns[quoteText] ?? nil).map({ builder.set(rate, row: tableRow, column: $0) }) ?? true
            else {
                throw PostgresError.decoding(column: "rate", message: "is not a positive decimal")
            }
        }
        return builder.build()
    }

    /// Changes with every statement that writes or removes rates (migration 2's token, moved by a trigger in
    /// the same transaction); one row, so cheap enough to read before every reload.
    public func fingerprint() async throws -> String {
        let rows = try await client.query("SELECT token::text AS fingerprint FROM rates_version")
        return try rows.first?.decode(String.self, column: "fingerprint") ?? ""
    }
}
extension RateHistoryLoader: RateHistorySource {}
