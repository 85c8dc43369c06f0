import FXCore
import FXPostgres

/// Writes rates of one date and source in one transaction, with an `audit_log` row.
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
