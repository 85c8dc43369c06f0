import FXLifecycle
import FXPostgres
import Foundation
import Testing
import FXTestSupport

@Suite("COPY bulk load", .enabled(if: TestDatabase.isConfigured))
struct BulkLoadTests {
    private static let quotes = [
        "USD", "JPY", "BGN", "CZK", "DKK", "GBP", "HUF", "PLN", "RON", "SEK", "CHF", "ISK", "NOK", "TRY", "AUD",
        "BRL", "CAD", "CNY", "HKD", "IDR", "ILS", "INR", "KRW", "MXN", "MYR", "NZD", "PHP", "SGD", "THB", "ZAR",
    ]

    /// `count` distinct (date, EUR, quote) rows with exact, varied decimal rates.
    private static func rateRows(count: Int, rateOffset: Int = 0) -> [[String?]] {
        let start = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return (0..<count).map { index in
            let day = formatter.string(from: start.addingTimeInterval(Double(index / quotes.count) * 86_400))
            let rate = "\(1 + index % 9).\(String(format: "%06d", (index * 7919 + rateOffset) % 1_000_000))"
            return [day, "EUR", quotes[index % quotes.count], rate, "ecb"]
        }
    }

    /// Loads rows via COPY into a temp table, then upserts; returns rows inserted or changed.
    private static func load(_ rows: [[String?]], into client: PostgresClient) async throws -> Int {
        try await client.withTransaction { transaction async throws in
            _ = try await transaction.query("SELECT set_config('statement_timeout', '60s', true)")
            _ = try await transaction.query(
                """
                CREATE TEMP TABLE rates_import (observed_on date, base char(3), quote char(3), rate numeric, source text)
                ON COMMIT DROP
                """
            )
            let copied = try await transaction.copyFromStdin(
                "COPY rates_import (observed_on, base, quote, rate, source) FROM STDIN", rows: rows, timeout: .seconds(60))
            #expect(copied == rows.count)
            return try await transaction.query(
                """
                INSERT INTO rates (observed_on, base, quote, rate, source)
                SELECT observed_on, base, quote, rate, source FROM rates_import
                ON CONFLICT (observed_on, base, quote, source)
                DO UPDATE SET rate = EXCLUDED.rate, written_at = now() WHERE rates.rate <> EXCLUDED.rate
                """,
                timeout: .seconds(60)
            ).affectedRows
        }
    }

    @Test func loadsRatesAndReloadsIdempotently() async throws {
        let count = ProcessInfo.processInfo.environment["FX_TEST_BULK_ROWS"].flatMap(Int.init) ?? 50_000
        let rows = Self.rateRows(count: count)
        try await TestDatabase.withFreshDatabase { url async throws in
            try await withRunning(TestDatabase.makeClient(url: url)) { client async throws in
                _ = try await Migrator(client: client, logger: TestDatabase.logger).migrate()

                let started = ContinuousClock.now
                #expect(try await Self.load(rows, into: client) == count)
                let elapsed = ContinuousClock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                print("bulk load: \(count) rows in \(elapsed) = \(Int(Double(count) / seconds)) rows/s")

                #expect(try await Self.load(rows, into: client) == 0)
                let stored = try await client.query("SELECT count(*) AS n FROM rates")
                #expect(try stored[0].decode(Int.self, column: "n") == count)

                let sample = rows[count / 2]
                let rate = try await client.query(
                    "SELECT rate::text AS rate FROM rates WHERE observed_on = $1::date AND base = $2 AND quote = $3 AND source = $4",
                    [sample[0], sample[1], sample[2], sample[4]].map { $0.map(PostgresValue.text) }
                )
                #expect(try rate[0].decode(String.self, column: "rate") == sample[3])

                let changed = Self.rateRows(count: 10, rateOffset: 1)
                #expect(try await Self.load(changed, into: client) == 10)
            }
        }
    }

    @Test func copyEscapesSpecialCharactersAndNulls() async throws {
        let values: [String?] = QueryTests.hostileStrings + [nil, "\\N", "\\.", "", "a\\\tb"]
        try await withRunning(TestDatabase.makeClient()) { client async throws in
            try await client.withTransaction { transaction async throws in
                _ = try await transaction.query("CREATE TEMP TABLE copied (position int, value text) ON COMMIT DROP")
                let rows = values.enumerated().map { [String($0.offset), $0.element] }
                #expect(try await transaction.copyFromStdin("COPY copied (position, value) FROM STDIN", rows: rows) == values.count)
                let stored = try await transaction.query("SELECT value FROM copied ORDER BY position")
                #expect(try stored.map { try $0.decode(String?.self, column: "value") } == values)
            }
        }
    }

    @Test func copyRejectsNULAndRollsBack() async throws {
        try await withRunning(TestDatabase.makeClient { $0.maximumConnections = 1 }) { client async throws in
            await #expect(throws: PostgresError.invalidParameter(message: "COPY field in column 0 contains a NUL byte")) {
                try await client.withTransaction { transaction async throws in
                    _ = try await transaction.query("CREATE TEMP TABLE copied (value text) ON COMMIT DROP")
                    _ = try await transaction.copyFromStdin("COPY copied (value) FROM STDIN", rows: [["fine"], ["bad\u{0}"]])
                }
            }
            #expect(try await client.query("SELECT 1 AS one")[0].decode(Int.self, column: "one") == 1)
        }
    }
}
