import FXCore
import FXPostgres

/// Keeps the `currencies` table holding every currency that has rates.
enum CurrencyRows {
    /// Inserts the currencies missing from the table, with their ISO 4217 name and minor units.
    static func insertMissing(_ codes: some Sequence<CurrencyCode>, in transaction: PostgresTransaction) async throws {
        let currencies = codes.compactMap { CurrencyRegistry.iso4217[$0] }
        _ = try await transaction.query(
            """
            INSERT INTO currencies (code, name, minor_units)
            SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[])
            ON CONFLICT (code) DO NOTHING
            """,
            [
                .text(PostgresArray.literal(currencies.map(\.code.rawValue))),
                .text(PostgresArray.literal(currencies.map(\.name))),
                .text(PostgresArray.literal(currencies.map { String($0.minorUnits) })),
            ])
    }
}
