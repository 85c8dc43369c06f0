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

extension RateHistoryLoader: SnapshotDigestLedger {
    /// Migration 4's digest, only while the token it was recorded for is still the current one.
    public func snapshotDigest(fingerprint: String) async throws -> [UInt8]? {
        let rows = try await client.query(
            """
            SELECT encode(snapshot_sha256, 'hex') AS digest FROM rates_version
            WHERE token::text = $1 AND snapshot_token = token AND snapshot_sha256 IS NOT NULL
            """,
            [.text(fingerprint)])
        guard let hex = try rows.first?.decode(String.self, column: "digest") else { return nil }
        return Self.bytes(hex: hex)
    }

    public func recordSnapshotDigest(_ digest: [UInt8], fingerprint: String) async throws -> Bool {
        let hex = digest.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        let rows = try await client.query(
            """
            UPDATE rates_version SET snapshot_token = token, snapshot_sha256 = decode($2, 'hex')
            WHERE token::text = $1 RETURNING 1 AS recorded
            """,
            [.text(fingerprint), .text(hex)])
        return !rows.isEmpty
    }

    /// Nil for text that is not pairs of hex digits (PostgreSQL's `encode(…, 'hex')` writes nothing else).
    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        return bytes
    }
}
