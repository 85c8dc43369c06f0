import FXCore
import FXPostgres
import FXStorage
import Testing
import FXTestSupport

@Suite("The fingerprint of the rates in PostgreSQL", .enabled(if: TestDatabase.isConfigured))
struct RatesFingerprintTests {
    @Test func itMovesWithEveryStatementThatChangesRatesAndOnlyThen() async throws {
        try await TestPostgres.withDatabase { client, _ in
            let loader = RateHistoryLoader(client: client)
            let empty = try await loader.fingerprint()
            #expect(!empty.isEmpty)
            #expect(try await loader.fingerprint() == empty)

            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let imported = try await loader.fingerprint()
            #expect(imported != empty)
            _ = try await client.query("SELECT count(*) FROM rates")
            #expect(try await loader.fingerprint() == imported)

            _ = try await client.query("DELETE FROM rates WHERE quote = 'USD'")
            let deleted = try await loader.fingerprint()
            #expect(deleted != imported)
            _ = try await client.query("TRUNCATE rates")
            #expect(try await loader.fingerprint() != deleted)
        }
    }
}
