import FXCore
import FXPostgres

/// Writes or deletes rates of one date in one transaction, with an `audit_log` row.
public struct RatesWriter: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Upserts `update` and returns what changed; nothing is written when every rate is the same number.
    /// Returns only after COMMIT, so a caller never acknowledges a write that could still be lost.
    /// - Throws: ``StorageUnavailableError`` when PostgreSQL is unreachable or asks for a retry.
    public func write(_ update: RatesUpdate, actor: String) async throws -> RatesUpdateOutcome {
        try await StorageUnavailableError.mapping { try await transaction(writing: update, actor: actor) }
    }

    /// Deletes the rates of `day`, of every source, limited to `quotes` when given, with an `audit_log` row
    /// when anything was deleted. Returns only after COMMIT.
    /// - Throws: ``StorageUnavailableError`` when PostgreSQL is unreachable or asks for a retry.
    public func delete(day: Day, quotes: [CurrencyCode]?, actor: String) async throws -> RatesDeletion {
        try await StorageUnavailableError.mapping {
            try await client.withTransaction { transaction in
                let quoteList: PostgresValue? = quotes.map { .text(PostgresArray.literal($0.map(\.rawValue))) }
                let deleted = try await transaction.query(
                    """
                    DELETE FROM rates
                    WHERE observed_on = $1::date AND base = $2 AND ($3::text[] IS NULL OR quote::text = ANY($3::text[]))
                    RETURNING source, quote::text AS quote, rate::text AS rate
                    """,
                    [.text(day.description), .text(CurrencyCode.eur.rawValue), quoteList])
                let rows = try deleted.map { row in
                    RatesDeletion.Row(source: try row.decode(String.self, column: "source"),
                                      quote: try row.decode(String.self, column: "quote"),
                                      rate: try row.decode(String.self, column: "rate"))
                }.sorted { ($0.source, $0.quote) < ($1.source, $1.quote) }
                guard !rows.isEmpty else { return RatesDeletion(date: day, rows: []) }
                _ = try await transaction.query(
                    """
                    INSERT INTO audit_log (actor, action, rows, detail)
                    VALUES ($1, 'rates.delete', $2, jsonb_build_object('date', $3::text, 'symbols', to_jsonb($4::text[])))
                    """,
                    [.text(actor), .int(rows.count), .text(day.description), quoteList])
                return RatesDeletion(date: day, rows: rows)
            }
        }
    }

    private func transaction(writing update: RatesUpdate, actor: String) async throws -> RatesUpdateOutcome {
        try await client.withTransaction { transaction in
            let codes = update.rates.keys.sorted()
            let key: [PostgresValue?] = [.text(update.date.description), .text(update.base.rawValue), .text(update.source)]
            let current = try await transaction.query(
                """
                SELECT quote, rate::text AS rate FROM rates
                WHERE observed_on = $1::date AND base = $2 AND source = $3 AND quote::text = ANY($4::text[])
                FOR UPDATE
                """,
                key + [.text(PostgresArray.literal(codes.map(\.rawValue)))])
            var old: [String: String] = [:]
            for row in current {
                old[try row.decode(String.self, column: "quote")] = try row.decode(String.self, column: "rate")
            }

            var changed: [CurrencyCode: RatesUpdateOutcome.Change] = [:]
            var unchanged: [CurrencyCode] = []
            for (code, new) in update.rates.sorted(by: { $0.key < $1.key }) {
                let previous = old[code.rawValue]
                if let previous, (try? StrictDecimal(parsing: previous))?.value == new.value {
                    unchanged.append(code)
                } else {
                    changed[code] = .init(old: previous, new: new.text)
                }
            }
            guard !changed.isEmpty else { return RatesUpdateOutcome(changed: [:], unchanged: unchanged) }

            let changedRates = changed.sorted { $0.key < $1.key }
            let changedCodes = changedRates.map(\.key)
            try await CurrencyRows.insertMissing(changedCodes + [update.base], in: transaction)
            _ = try await transaction.query(
                """
                INSERT INTO rates (observed_on, base, quote, rate, source)
                SELECT $1::date, $2, quote, rate::numeric, $3 FROM unnest($4::text[], $5::text[]) AS t(quote, rate)
                ON CONFLICT (observed_on, base, quote, source)
                DO UPDATE SET rate = EXCLUDED.rate, written_at = now() WHERE rates.rate IS DISTINCT FROM EXCLUDED.rate
                """,
                key + [
                    .text(PostgresArray.literal(changedCodes.map(\.rawValue))),
                    .text(PostgresArray.literal(changedRates.map(\.value.new))),
                ])
            _ = try await transaction.query(
                """
                INSERT INTO audit_log (actor, action, rows, detail)
                VALUES ($1, 'rates.put', $2, jsonb_build_object('date', $3::text, 'base', $4::text, 'source', $5::text))
                """,
                [.text(actor), .int(changed.count)] + key)
            return RatesUpdateOutcome(changed: changed, unchanged: unchanged)
        }
    }
}
