import FXCore
import FXPostgres
import FXServer
import FXStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import FXTestSupport

extension TestClientProtocol {
    /// DELETE the admin rates of `date` (`query` appended as it is) and hand back the status and JSON object.
    func deleteRates(_ date: String, query: String = "", token: String? = adminToken)
        async throws -> (HTTPResponse.Status, [String: Any])
    {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: "/v1/admin/rates/\(date)\(query)", method: .delete, headers: headers) { response in
            let object = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            return (response.status, object ?? [:])
        }
    }
}

@Suite("Admin dates and DELETE /v1/admin/rates/{date}", .enabled(if: TestDatabase.isConfigured))
struct AdminRatesDeletionTests {
    /// Before: 0000-01-01 answered 500 (PostgreSQL refused the date) and 0001-01-01 was stored.
    @Test(arguments: ["0000-01-01", "0001-01-01", "1999-01-03", "2026-11-29", "9999-12-31"])
    func datesOutsideTheECBRangeAre422NamingIt(date: String) async throws {
        try await TestPostgres.withDatabase { client, _ in
            let (store, admin) = try await loadedStore(client)
            try await withLiveApp(store: store, admin: admin) { http in
                let (status, _, problem) = try await http.putRates(date, #"{"source":"ECB","rates":{"USD":"1.1"}}"#)
                #expect(status == .unprocessableContent)
                let errors = try #require(problem["errors"] as? [[String: String]])
                #expect(errors.map { $0["parameter"] } == ["date"])
                #expect(errors.first?["detail"] == "must be from 1999-01-04 (the first ECB observation) through 2026-11-28 (today, UTC)")
                let (deleteStatus, deleteProblem) = try await http.deleteRates(date)
                #expect(deleteStatus == .unprocessableContent)
                #expect((deleteProblem["errors"] as? [[String: String]])?.map { $0["parameter"] } == ["date"])
            }
            #expect(try await TestPostgres.count(client, "SELECT count(*) AS count FROM rates") == 0)
        }
    }

    @Test func theFirstECBDayAndTodayAreAccepted() async throws {
        try await TestPostgres.withDatabase { client, _ in
            let (store, admin) = try await loadedStore(client)
            try await withLiveApp(store: store, admin: admin) { http in
                for date in ["1999-01-04", "2026-11-28"] {
                    let (status, _, _) = try await http.putRates(date, #"{"source":"ECB","rates":{"USD":"1.1"}}"#)
                    #expect(status == .ok, "\(date)")
                }
            }
        }
    }

    @Test func deletingSomeQuotesThenTheDayRemovesThemEverywhereWithAnAuditRow() async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let (store, admin) = try await loadedStore(client)
            // Another replica's store, which hears of the delete only through `reload(day:)`, as its
            // invalidation listener would make it.
            let otherReplica = ReloadableRateStore(loader: RateHistoryLoader(client: client))
            try await otherReplica.reload()
            let day = try #require(Day(parsing: "2026-11-27"))
            try await withLiveApp(store: store, admin: admin) { http in
                _ = try await http.putRates("2026-11-27", #"{"source":"manual","rates":{"USD":"1.5"}}"#)

                let (status, body) = try await http.deleteRates("2026-11-27", query: "?symbols=USD,JPY")
                #expect(status == .ok)
                #expect(body["date"] as? String == "2026-11-27")
                #expect(body["deleted"] as? [[String: String]] == [
                    ["source": "ECB", "quote": "JPY", "rate": "175.68"],
                    ["source": "ECB", "quote": "USD", "rate": "1.1172"],
                    ["source": "manual", "quote": "USD", "rate": "1.5"],
                ])
                let (_, _, rates) = try await http.getJSON("/v1/rates?date=2026-11-27")
                #expect(rates["date"] as? String == "2026-11-27")
                #expect(rates["rates"] as? [String: String] == ["GBP": "0.8765"])

                let (dayStatus, dayBody) = try await http.deleteRates("2026-11-27")
                #expect(dayStatus == .ok)
                #expect(dayBody["deleted"] as? [[String: String]] == [["source": "ECB", "quote": "GBP", "rate": "0.8765"]])
                let (_, _, latest) = try await http.getJSON("/v1/rates")
                #expect(latest["date"] as? String == "2026-11-26")

                // Deleting again is not an error: nothing is left, nothing is audited.
                let (againStatus, againBody) = try await http.deleteRates("2026-11-27")
                #expect(againStatus == .ok)
                #expect((againBody["deleted"] as? [Any])?.isEmpty == true)
            }
            try await otherReplica.reload(day: day)
            #expect(try otherReplica.observation(onOrBefore: nil, notBefore: nil, quoting: [])?.date
                == Day(parsing: "2026-11-26"))
            let audit = try await client.query("""
                SELECT rows, detail->>'date' AS date, detail->'symbols' AS symbols FROM audit_log
                WHERE action = 'rates.delete' ORDER BY id
                """)
            #expect(try audit.map { try $0.decode(Int.self, column: "rows") } == [3, 1])
            #expect(try audit.map { try $0.decode(String.self, column: "symbols") } == [#"["USD", "JPY"]"#, "null"])
        }
    }

    @Test(arguments: [
        ("2026-11-27", "?symbols=EUR", "symbols"),
        ("2026-11-27", "?symbols=USD,XX", "symbols"),
        ("2026-11-27", "?symbols=", "symbols"),
        ("2026-13-01", "", "date"),
        ("today", "", "date"),
    ])
    func badDeletesAre422AndDeleteNothing(date: String, query: String, parameter: String) async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let (store, admin) = try await loadedStore(client)
            try await withLiveApp(store: store, admin: admin) { http in
                let (status, problem) = try await http.deleteRates(date, query: query)
                #expect(status == .unprocessableContent)
                #expect((problem["errors"] as? [[String: String]])?.map { $0["parameter"] } == [parameter])
                let (unauthorized, _) = try await http.deleteRates("2026-11-27", token: "wrong")
                #expect(unauthorized == .unauthorized)
            }
            #expect(try await TestPostgres.count(client, "SELECT count(*) AS count FROM rates") == 8)
        }
    }

    /// Random paths, queries and bodies on both admin methods: every answer is a 2xx or a 4xx problem.
    @Test func fuzzedAdminRequestsNeverAnswer5xx() async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let (store, admin) = try await loadedStore(client)
            var random = SystemRandomNumberGenerator()
            let seed = UInt64.random(in: 0...UInt64.max, using: &random)
            var generator = AdminRequestFuzzer(seed: seed)
            let requests = (0..<400).map { _ in generator.next() }
            try await withLiveApp(store: store, admin: admin) { http in
                for request in requests {
                    let status = try await http.execute(
                        uri: request.uri, method: request.method,
                        headers: [.authorization: "Bearer \(adminToken)", .contentType: "application/json"],
                        body: ByteBuffer(string: request.body)
                    ) { $0.status }
                    #expect(status.code < 500, "seed \(seed): \(request.method) \(request.uri) \(request.body) → \(status)")
                }
            }
        }
    }
}

/// Admin requests built from pieces that have broken parsers before: odd dates, codes, numbers and JSON.
private struct AdminRequestFuzzer {
    struct Request: Sendable {
        let method: HTTPRequest.Method
        let uri: String
        let body: String
    }

    private var state: UInt64

    init(seed: UInt64) { state = seed | 1 }

    private mutating func nextRandom() -> UInt64 {
        // xorshift64*: reproducible from the seed the failure message prints.
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }

    private mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int(nextRandom() % UInt64(choices.count))]
    }

    private static let dates = [
        "0000-01-01", "0001-01-01", "1999-01-04", "1998-12-31", "2026-11-27", "2026-02-29", "2024-02-29",
        "9999-12-31", "99999-01-01", "-001-01-01", "2026-1-1", "2026-11-27T00:00", "%00", "%2e%2e", "..",
        "2026-11-27%20", "+2026-11-27", "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-11-27", String(repeating: "9", count: 300),
    ]
    private static let codes = ["USD", "EUR", "usd", "XXX", "ZZZ", "US", "USDD", "", "U$D", "ÜSD", "JPY", "GBP"]
    private static let numbers = [
        "\"1.1\"", "\"0\"", "\"-1\"", "\"1e3\"", "\"NaN\"", "\"Infinity\"", "\"\"", "\"1.\"", "\".5\"",
        "\"\(String(repeating: "9", count: 19))\"", "\"0.\(String(repeating: "0", count: 18))1\"",
        "1.1", "null", "true", "[]", "{}", "\"1,1\"", "\"١٫٥\"",
    ]
    private static let queries = ["", "?symbols=USD", "?symbols=EUR", "?symbols=USD,USD", "?symbols=", "?symbols=%00",
                                  "?symbols=USD&symbols=JPY", "?x=1", "?symbols=\(Array(repeating: "USD", count: 70).joined(separator: ","))"]

    mutating func next() -> Request {
        let method: HTTPRequest.Method = pick([.put, .delete, .put])
        let uri = "/v1/admin/rates/\(pick(Self.dates))\(pick(Self.queries))"
        var rates: [String] = []
        for _ in 0..<Int(nextRandom() % 4) { rates.append("\"\(pick(Self.codes))\":\(pick(Self.numbers))") }
        let body = pick([
            "{\"source\":\"ECB\",\"rates\":{\(rates.joined(separator: ","))}}",
            "{\"base\":\(pick(Self.numbers)),\"source\":\(pick(Self.numbers)),\"rates\":{\(rates.joined(separator: ","))}}",
            "{\"source\":\"ECB\",\"rates\":{\(rates.joined(separator: ","))}",
            "[\(rates.joined(separator: ","))]", "", "null", "\u{0}", "{\"source\":\"ECB\",\"rates\":\(pick(Self.numbers))}",
        ])
        return Request(method: method, uri: uri, body: body)
    }
}
