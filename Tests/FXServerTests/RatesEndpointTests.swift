import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("GET /v1/rates and /v1/rates/history")
struct RatesEndpointTests {
    @Test func latestRatesOfTheEuro() async throws {
        try await withLiveApp { client in
            let (status, _, body) = try await client.getJSON("/v1/rates?base=EUR")
            #expect(status == .ok)
            #expect(body["base"] as? String == "EUR")
            #expect(body["date"] as? String == "2026-10-30")
            let rates = try #require(body["rates"] as? [String: String])
            #expect(rates["USD"] == "1.1172")
            #expect(rates["JPY"] == "175.68")
            #expect(rates["EUR"] == nil)
            #expect(rates.count == 29)
        }
    }

    @Test func crossRatesForSymbolsOnADate() async throws {
        try await withLiveApp { client in
            let (status, _, body) = try await client.getJSON("/v1/rates?base=usd&symbols=JPY,eur&date=2026-11-01")
            #expect(status == .ok)
            #expect(body["date"] as? String == "2026-10-30")
            #expect(body["rates"] as? [String: String] == ["JPY": "157.2502685", "EUR": "0.8950948801"])
        }
    }

    @Test func symbolWithoutARateIsNamed() async throws {
        try await withLiveApp { client in
            let (status, _, body) = try await client.getJSON("/v1/rates?symbols=USD,CYP")
            #expect(status == .notFound)
            #expect(body["title"] as? String == "Exchange rate not found")
            #expect((body["detail"] as? String)?.contains("CYP") == true)
            #expect((body["detail"] as? String)?.contains("USD") == false)
        }
    }

    @Test func badSymbolsAndDate() async throws {
        try await withLiveApp { client in
            let (status, _, body) = try await client.getJSON("/v1/rates?base=EURO&symbols=USD,,JPY&date=tomorrow")
            #expect(status == .unprocessableContent)
            let errors = try #require(body["errors"] as? [[String: String]])
            #expect(errors.map { $0["parameter"] } == ["base", "symbols", "date"])
        }
    }

    /// All 17,576 three-letter codes in `symbols` cost half a second of CPU (an O(n²) de-duplication of an
    /// unbounded list): lists stop at 64 codes, and a query string past 4 KiB is refused whole.
    @Test func listsAndQueriesAreBounded() async throws {
        try await withLiveApp { client in
            let sixtyFour = Array(repeating: "USD", count: 63) + ["JPY"]
            let (listed, _, rates) = try await client.getJSON("/v1/rates?symbols=" + sixtyFour.joined(separator: ","))
            #expect(listed == .ok)
            #expect(rates["rates"] as? [String: String] == ["JPY": "175.68", "USD": "1.1172"])

            let (tooMany, _, problem) = try await client.getJSON("/v1/rates?symbols=" + (sixtyFour + ["GBP"]).joined(separator: ","))
            #expect(tooMany == .unprocessableContent)
            let errors = try #require(problem["errors"] as? [[String: String]])
            #expect(errors.first?["parameter"] == "symbols")
            #expect(errors.first?["detail"]?.contains("at most 64") == true)

            let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".map(String.init)
            let everyCode = letters.flatMap { a in letters.flatMap { b in letters.map { a + b + $0 } } }
            for path in ["/v1/rates/history?start=2025-01-01&end=2025-12-31&symbols=", "/v1/rates?symbols="] {
                let (status, headers, body) = try await client.getJSON(path + everyCode.joined(separator: ","))
                #expect(status == .uriTooLong)
                #expect(headers[.contentType] == "application/problem+json")
                #expect((body["detail"] as? String)?.contains("at most 4096") == true)
            }
            // 4096 bytes exactly is read (and its unknown parameter answered as such), not refused whole.
            let (exactly, _, _) = try await client.getJSON("/v1/rates?symbols=USD&pad=" + String(repeating: "x", count: 4096 - "symbols=USD&pad=".utf8.count))
            #expect(exactly != .uriTooLong)
        }
    }

    @Test func historyHasOnlyObservationDates() async throws {
        try await withLiveApp { client in
            let (status, _, body) = try await client.getJSON(
                "/v1/rates/history?base=EUR&symbols=USD,GBP&start=2024-01-01&end=2024-01-07")
            #expect(status == .ok)
            #expect(body["start"] as? String == "2024-01-01")
            #expect(body["end"] as? String == "2024-01-07")
            let rates = try #require(body["rates"] as? [String: [String: String]])
            #expect(rates.keys.sorted() == ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"])
            #expect(rates["2024-01-02"] == ["USD": "1.0956", "GBP": "0.86645"])
        }
    }

    @Test(arguments: [
        ("start=2024-01-10&end=2024-01-01", "start"),
        ("start=2023-01-01&end=2024-01-03", "end"),
        ("start=2024-01-01&end=2026-12-01", "end"),
        ("end=2024-01-01", "start"),
    ])
    func historyRangeRules(query: String, parameter: String) async throws {
        try await withLiveApp { client in
            let (status, _, body) = try await client.getJSON("/v1/rates/history?symbols=USD&\(query)")
            #expect(status == .unprocessableContent)
            let errors = try #require(body["errors"] as? [[String: String]])
            #expect(errors.map { $0["parameter"] } == [parameter])
        }
    }

    @Test func historyOf366DaysIsAllowed() async throws {
        try await withLiveApp { client in
            let (status, _, body) = try await client.getJSON("/v1/rates/history?symbols=USD&start=2024-01-01&end=2025-01-01")
            #expect(status == .ok)
            #expect((body["rates"] as? [String: Any])?.count == 256)  // 2025-01-01 is a holiday
        }
    }
}
