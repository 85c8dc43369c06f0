import FXCore
import FXPostgres
import Foundation

/// Loads an ECB history file into `rates` (source ECB, base EUR) in one transaction.
///
/// Rates are staged with COPY into a temporary table and merged with one statement that only touches
/// rows whose rate differs, so importing the same file twice changes nothing the second time.
public struct ECBImporter: Sendable {
    public enum Mode: String, Sendable {
        /// The file wins: a stored rate that differs from it is overwritten, admin corrections included.
        case upsert
        /// Only absent rows are inserted and nothing stored is touched, so a deploy's migration Job can
        /// import the bundled history on every rollout without undoing admin corrections.
        case onlyMissing = "only-missing"
    }

    static let actor = "cli:import"
    static let copyBatchSize = 20_000

    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    public func importHistory(
        _ file: Data, mode: Mode = .upsert, progress: @Sendable (ECBImportProgress) -> Void = { _ in }
    ) async throws -> ECBImportSummary {
        let history: RateHistory
        do {
            history = try ECBHistoryParser.parse(try ECBArchive.csv(from: file))
        } catch let error as ECBFormatError {
            throw ECBImportError.format(error)
        }
        return try await importRates(history, mode: mode, audit: ECBImportAudit(actor: Self.actor), progress: progress)
    }

    /// Stores the rates of a history already parsed (a CSV or an XML feed) by the same merge and with an
    /// audit row; `alsoInTransaction` runs last in the same transaction, so what it writes (the sync's feed
    /// validators) is committed with the rates or not at all.
    public func importRates(
        _ history: RateHistory, mode: Mode = .upsert, audit: ECBImportAudit,
        progress: @Sendable (ECBImportProgress) -> Void = { _ in },
        alsoInTransaction: @Sendable (PostgresTransaction) async throws -> Void = { _ in }
    ) async throws -> ECBImportSummary {
        if let unknown = history.coverage.keys.sorted().first(where: { CurrencyRegistry.iso4217[$0] == nil }) {
            throw ECBImportError.unknownCurrency(unknown)
        }
        let rows = Self.rows(of: history)
        progress(.parsed(values: rows.count, dates: history.tables.count))

        let changed = try await client.withTransaction { transaction in
            // The merge of a full history outlasts the pool's statement_timeout.
            _ = try await transaction.query("SELECT set_config('statement_timeout', '0', true)")
            _ = try await transaction.query(
                "CREATE TEMP TABLE ecb_import (observed_on date, quote char(3), rate numeric) ON COMMIT DROP")
            var copied = 0
            for start in stride(from: 0, to: rows.count, by: Self.copyBatchSize) {
                let batch = Array(rows[start..<min(start + Self.copyBatchSize, rows.count)])
                copied += try await transaction.copyFromStdin(
                    "COPY ecb_import (observed_on, quote, rate) FROM STDIN", rows: batch, timeout: .seconds(120))
                progress(.copied(copied, of: rows.count))
            }
            progress(.merging)
            try await CurrencyRows.insertMissing(history.coverage.keys.sorted(), in: transaction)
            let merged = try await transaction.query(
                """
                INSERT INTO rates (observed_on, base, quote, rate, source)
                SELECT observed_on, $1, quote, rate, $2 FROM ecb_import
                ON CONFLICT (observed_on, base, quote, source) \(Self.conflictAction(mode))
                """,
                [.text(CurrencyCode.eur.rawValue), .text(RatesSource.ecb)], timeout: .seconds(120))
            _ = try await transaction.query(
                """
                INSERT INTO audit_log (actor, action, rows, detail)
                VALUES ($1, 'import', $2, jsonb_strip_nulls(jsonb_build_object(
                    'source', $3::text, 'values', $4::integer, 'mode', $5::text, 'url', $6::text)))
                """,
                [.text(audit.actor), .int(merged.affectedRows), .text(RatesSource.ecb), .int(rows.count),
                 .text(mode.rawValue), audit.url.map(PostgresValue.text)])
            try await alsoInTransaction(transaction)
            return merged.affectedRows
        }
        return ECBImportSummary(values: rows.count, dates: history.tables.count, changedRows: changed)
    }

    private static func conflictAction(_ mode: Mode) -> String {
        switch mode {
        case .upsert:
            "DO UPDATE SET rate = EXCLUDED.rate, written_at = now() WHERE rates.rate IS DISTINCT FROM EXCLUDED.rate"
        case .onlyMissing:
            "DO NOTHING"
        }
    }

    /// COPY rows `(observed_on, quote, rate)`, the rate as exact decimal text.
    private static func rows(of history: RateHistory) -> [[String?]] {
        var rows: [[String?]] = []
        for table in history.tables {
            let day = table.date.description
            for code in table.currencies where code != .eur {
                rows.append([day, code.rawValue, table.perEuro(code)?.description])
            }
        }
        return rows
    }
}
