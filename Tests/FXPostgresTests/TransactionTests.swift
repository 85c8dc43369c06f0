import FXLifecycle
import FXPostgres
import Testing
import FXTestSupport

@Suite("Transactions", .enabled(if: TestDatabase.isConfigured))
struct TransactionTests {
    private struct Abort: Error {}

    @Test func commitsAndRollsBackOnThrow() async throws {
        try await TestDatabase.withFreshDatabase { url async throws in
            try await withRunning(TestDatabase.makeClient(url: url)) { client async throws in
                _ = try await client.query("CREATE TABLE ledger (entry text NOT NULL)")

                try await client.withTransaction { transaction async throws in
                    _ = try await transaction.query("INSERT INTO ledger VALUES ($1)", ["committed"])
                }
                await #expect(throws: Abort.self) {
                    try await client.withTransaction { transaction async throws in
                        _ = try await transaction.query("INSERT INTO ledger VALUES ($1)", ["rolled back"])
                        throw Abort()
                    }
                }
                await #expect(throws: PostgresError.self) {
                    try await client.withTransaction { transaction async throws in
                        _ = try await transaction.query("INSERT INTO ledger VALUES ($1)", ["failed statement"])
                        _ = try await transaction.query("INSERT INTO ledger VALUES (NULL)")
                    }
                }

                let entries = try await client.query("SELECT entry FROM ledger").map { try $0.decode(String.self, column: "entry") }
                #expect(entries == ["committed"])
            }
        }
    }

    @Test func returnsValueAndPinsOneConnection() async throws {
        try await withRunning(TestDatabase.makeClient()) { client async throws in
            let pids = try await client.withTransaction { transaction async throws in
                var pids: [Int] = []
                for _ in 0..<5 {
                    pids.append(try await transaction.query("SELECT pg_backend_pid() AS pid")[0].decode(Int.self, column: "pid"))
                }
                return pids
            }
            #expect(Set(pids).count == 1)
        }
    }

    @Test func transactionCannotBeUsedAfterItEnds() async throws {
        try await withRunning(TestDatabase.makeClient()) { client async throws in
            let escaped = try await client.withTransaction { $0 }
            await #expect(throws: PostgresError.protocolViolation(message: "the transaction has already ended")) {
                try await escaped.query("SELECT 1")
            }
        }
    }
}
