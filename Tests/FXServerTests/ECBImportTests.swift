import FXCore
import FXPostgres
import FXStorage
import Foundation
import Testing
import FXTestSupport

@Suite("fxrates import ecb", .enabled(if: TestDatabase.isConfigured))
struct ECBImportTests {
    @Test func importingTwiceChangesNothingTheSecondTime() async throws {
        try await TestPostgres.withDatabase { client, _ in
            let importer = ECBImporter(client: client)
            let first = try await importer.importHistory(sampleECB)
            #expect((first.values, first.dates, first.changedRows) == (8, 3, 8))
            let second = try await importer.importHistory(sampleECB)
            #expect(second.changedRows == 0)

            let usd = try await client.query(
                "SELECT rate::text AS rate, source, base FROM rates WHERE observed_on = '2026-11-26' AND quote = 'USD'")
            #expect(usd.count == 1)
            #expect(try usd.first?.decode(String.self, column: "rate") == "1.11")
            #expect(try usd.first?.decode(String.self, column: "source") == "ECB")
            #expect(try usd.first?.decode(String.self, column: "base") == "EUR")
            let audit = try await client.query("SELECT actor, action, rows FROM audit_log ORDER BY id")
            #expect(try audit.map { try $0.decode(String.self, column: "actor") } == ["cli:import", "cli:import"])
            #expect(try audit.map { try $0.decode(String.self, column: "action") } == ["import", "import"])
            #expect(try audit.map { try $0.decode(Int.self, column: "rows") } == [8, 0])
            let currencies = try await client.query("SELECT code, name, minor_units FROM currencies ORDER BY code")
            #expect(try currencies.map { try $0.decode(String.self, column: "code") } == ["EUR", "GBP", "JPY", "USD"])
            #expect(try currencies.first { try $0.decode(String.self, column: "code") == "JPY" }?
                .decode(Int.self, column: "minor_units") == 0)
        }
    }

    @Test func aChangedRateIsTheOnlyRowWritten() async throws {
        try await TestPostgres.withDatabase { client, _ in
            let importer = ECBImporter(client: client)
            _ = try await importer.importHistory(sampleECB)
            let corrected = String(decoding: sampleECB, as: UTF8.self).replacingOccurrences(of: "175.68", with: "175.69")
            #expect(try await importer.importHistory(Data(corrected.utf8)).changedRows == 1)
        }
    }

    /// The deploy's migration Job (`fxrates migrate`, then `fxrates import ecb --only-missing`) runs on every
    /// rollout: it must fill in what is absent and never revert an admin correction.
    @Test func anAdminCorrectionSurvivesTwoMigrationJobRuns() async throws {
        try await TestPostgres.withDatabase(migrated: false) { client, _ in
            func migrationJob(_ file: Data) async throws -> Int {
                _ = try await Migrator(client: client, logger: TestDatabase.logger).migrate()
                return try await ECBImporter(client: client).importHistory(file, mode: .onlyMissing).changedRows
            }
            #expect(try await migrationJob(sampleECB) == 8)
            _ = try await RatesWriter(client: client).write(
                RatesUpdate(date: Day(parsing: "2026-11-27")!, base: .eur, source: "ECB",
                            rates: ["USD": try StrictDecimal(parsing: "1.2345")]), actor: "admin")
            let withANewDay = String(decoding: sampleECB, as: UTF8.self)
                .replacingOccurrences(of: "GBP,\n", with: "GBP,\n2026-11-30,1.1300,176.00,0.8800,\n")
            #expect(try await migrationJob(Data(withANewDay.utf8)) == 3)
            #expect(try await migrationJob(Data(withANewDay.utf8)) == 0)

            let usd = try await client.query(
                "SELECT observed_on::text AS day, rate::text AS rate FROM rates WHERE quote = 'USD' ORDER BY observed_on")
            #expect(try usd.map { try $0.decode(String.self, column: "day") }
                == ["2026-11-25", "2026-11-26", "2026-11-27", "2026-11-30"])
            #expect(try usd.map { try $0.decode(String.self, column: "rate") } == ["1.105", "1.11", "1.2345", "1.13"])
            let modes = try await client.query(
                "SELECT detail->>'mode' AS mode FROM audit_log WHERE action = 'import' ORDER BY id")
            #expect(try modes.map { try $0.decode(String.self, column: "mode") } == Array(repeating: "only-missing", count: 3))
        }
    }

    @Test func aPlainImportStillOverwritesWhatTheFileSaysDifferently() async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            _ = try await RatesWriter(client: client).write(
                RatesUpdate(date: Day(parsing: "2026-11-27")!, base: .eur, source: "ECB",
                            rates: ["USD": try StrictDecimal(parsing: "1.2345")]), actor: "admin")
            #expect(try await ECBImporter(client: client).importHistory(sampleECB).changedRows == 1)
        }
    }

    @Test func aCorruptFileChangesNothingAndNamesLineAndColumn() async throws {
        try await TestPostgres.withDatabase { client, _ in
            let importer = ECBImporter(client: client)
            _ = try await importer.importHistory(sampleECB)
            let corrupt = Data("""
                Date,USD,JPY,
                2026-11-30,1.2000,180.00,
                2026-11-29,1.2x00,181.00,

                """.utf8)
            let error = await #expect(throws: ECBImportError.self) { try await importer.importHistory(corrupt) }
            #expect(error?.description.hasPrefix("line 3, column 2:") == true)
            #expect(try await TestPostgres.count(client, "SELECT count(*) AS count FROM rates") == 8)
            #expect(try await TestPostgres.count(client, "SELECT count(*) AS count FROM audit_log") == 1)
        }
    }

    @Test func theShippedZipImportsWhole() async throws {
        let zip = try Data(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().appendingPathComponent("../../data/eurofxref-hist.zip").standardized)
        try await TestPostgres.withDatabase { client, _ in
            let summary = try await ECBImporter(client: client).importHistory(zip)
            #expect(summary.changedRows == summary.values)
            #expect(summary.values > 200_000)
            let latest = try await client.query(
                "SELECT rate::text AS rate FROM rates WHERE observed_on = '2026-10-30' AND quote = 'USD'")
            #expect(try latest.first?.decode(String.self, column: "rate") == "1.1172")
        }
    }

    @Test func aZipWithoutOneFileIsRefused() async throws {
        let notAZip = Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0])
        #expect(throws: ECBImportError.self) { try ECBArchive.csv(from: notAZip) }
    }
}
