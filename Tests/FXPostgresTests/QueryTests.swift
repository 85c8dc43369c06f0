import FXLifecycle
import FXPostgres
import Foundation
import Testing
import FXTestSupport

@Suite("Parameterized queries", .enabled(if: TestDatabase.isConfigured))
struct QueryTests {
    static let hostileStrings = [
        "'; DROP TABLE rates; --",
        "' OR '1'='1",
        "\"quoted\" and 'single'",
        "back\\slash \\\\ and \\x41",
        "$1 $$dollar$$ quoting",
        "tab\tnew\nline\rcarriage",
        "ünïcødé € 😀 中文",
        String((1...255).map { Character(Unicode.Scalar(UInt8($0))) }),
    ]

    @Test func hostileStringsRoundTripUnchanged() async throws {
        try await withRunning(TestDatabase.makeClient()) { client async throws in
            for value in Self.hostileStrings {
                let rows = try await client.query("SELECT $1::text AS value, length($1::text) AS length", [.text(value)])
                #expect(try rows[0].decode(String.self, column: "value") == value)
                #expect(try rows[0].decode(Int.self, column: "length") == value.unicodeScalars.count)
            }
        }
    }

    @Test func hostileStringsAreStoredAsDataNotExecuted() async throws {
        try await withRunning(TestDatabase.makeClient { $0.maximumConnections = 1 }) { client async throws in
            try await client.withTransaction { transaction async throws in
                _ = try await transaction.query("CREATE TEMP TABLE notes (body text NOT NULL) ON COMMIT DROP")
                for value in Self.hostileStrings {
                    _ = try await transaction.query("INSERT INTO notes (body) VALUES ($1)", [.text(value)])
                }
                let rows = try await transaction.query("SELECT body FROM notes ORDER BY body")
                #expect(try rows.map { try $0.decode(String.self, column: "body") }.sorted() == Self.hostileStrings.sorted())
                let tables = try await transaction.query("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'notes'")
                #expect(tables.count == 1)
            }
        }
    }

    @Test func nulInParameterIsRejectedBeforeSending() async throws {
        try await withRunning(TestDatabase.makeClient()) { client async throws in
            await #expect(throws: PostgresError.invalidParameter(message: "parameter $1 contains a NUL byte, which PostgreSQL text cannot hold")) {
                try await client.query("SELECT $1::text", [.text("a\u{0}b")])
            }
        }
    }

    @Test func numericStaysExactAsText() async throws {
        try await withRunning(TestDatabase.makeClient()) { client async throws in
            let rows = try await client.query(
                "SELECT $1::numeric + $2::numeric AS sum, $3::numeric AS big, $3::numeric * 3 AS tripled",
                [.numeric("0.1"), .numeric("0.2"), .numeric("123456789012345678901234567890.123456789")]
            )
            #expect(try rows[0].decode(String.self, column: "sum") == "0.3")
            #expect(try rows[0].decode(String.self, column: "big") == "123456789012345678901234567890.123456789")
            #expect(try rows[0].decode(String.self, column: "tripled") == "370370367037037036703703703670.370370367")
        }
    }

    @Test func typedDecodingAndNulls() async throws {
        try await withRunning(TestDatabase.makeClient()) { client async throws in
            let rows = try await client.query(
                """
                SELECT $1::int AS n, $2::bool AS flag, NULL::text AS missing,
                       '2024-05-01 13:45:10.5+02'::timestamptz AS at, $3::bytea AS hash
                """,
                [42, true, .bytea([0xDE, 0xAD])]
            )
            let row = try #require(rows.first)
            #expect(rows.columns == ["n", "flag", "missing", "at", "hash"])
            #expect(try row.decode(Int.self, column: "n") == 42)
            #expect(try row.decode(Bool.self, column: "flag") == true)
            #expect(try row.decode(String?.self, column: "missing") == nil)
            #expect(try row.decode(Date.self, column: "at") == Date(timeIntervalSince1970: 1_714_563_910.5))
            #expect(try row.decode([UInt8].self, column: "hash") == [0xDE, 0xAD])
            #expect(throws: PostgresError.decoding(column: "missing", message: "is NULL, expected String")) {
                try row.decode(String.self, column: "missing")
            }
            #expect(throws: PostgresError.decoding(column: "flag", message: "is not a valid Int")) {
                try row.decode(Int.self, column: "flag")
            }
            #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "nope") }
        }
    }

    @Test func nullParameterIsSQLNull() async throws {
        try await withRunning(TestDatabase.makeClient()) { client async throws in
            let rows = try await client.query("SELECT $1::text IS NULL AS is_null", [nil])
            #expect(try rows[0].decode(Bool.self, column: "is_null"))
        }
    }

    @Test func serverErrorCarriesSQLState() async throws {
        try await withRunning(TestDatabase.makeClient()) { client async throws in
            let error = await #expect(throws: PostgresError.self) {
                try await client.query("SELECT 1/0")
            }
            #expect(error?.sqlState == "22012")
            #expect(error?.message == "division by zero")
            // The connection that reported the error is still usable.
            #expect(try await client.query("SELECT 2 AS two")[0].decode(Int.self, column: "two") == 2)
        }
    }

    @Test func affectedRowsReported() async throws {
        try await withRunning(TestDatabase.makeClient()) { client async throws in
            let rows = try await client.query("SELECT generate_series(1, 7) AS n")
            #expect(rows.affectedRows == 7)
            #expect(rows.count == 7)
        }
    }
}
