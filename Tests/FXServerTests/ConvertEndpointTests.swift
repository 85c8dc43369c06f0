import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("GET /v1/convert")
struct ConvertEndpointTests {
    @Test func contractExample() async throws {
        try await withLiveApp { client in
            let (status, headers, body) = try await client.getJSON("/v1/convert?from=USD&to=JPY&amount=100.00")
            #expect(status == .ok)
            #expect(headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(body["from"] as? String == "USD")
            #expect(body["to"] as? String == "JPY")
            #expect(body["amount"] as? String == "100.00")
            #expect(body["rate"] as? String == "157.2502685")
            #expect(body["result"] as? String == "15725")
            #expect(body["date"] as? String == "2026-10-30")
        }
    }

    @Test func codesAreCaseInsensitiveAndEveryDecimalIsAString() async throws {
        try await withLiveApp { client in
            let (status, _, body) = try await client.getJSON("/v1/convert?from=eur&to=usd&amount=2.50&rounding=up")
            #expect(status == .ok)
            #expect(body["from"] as? String == "EUR")
            #expect(body["rate"] as? String == "1.1172")
            #expect(body["result"] as? String == "2.80")  // 2.793 away from zero
            for key in ["amount", "rate", "result"] { #expect(body[key] is String, "\(key)") }
        }
    }

    @Test func sameCurrencyHasRateOne() async throws {
        try await withLiveApp { client in
            let (_, _, body) = try await client.getJSON("/v1/convert?from=JPY&to=JPY&amount=10.5")
            #expect(body["rate"] as? String == "1")
            #expect(body["result"] as? String == "10")
        }
    }

    @Test func dateFallsBackToTheLastObservation() async throws {
        try await withLiveApp { client in
            let (status, _, body) = try await client.getJSON("/v1/convert?from=EUR&to=GBP&amount=1&date=2024-01-07")
            #expect(status == .ok)
            #expect(body["date"] as? String == "2024-01-05")
            let (gap, _, problem) = try await client.getJSON("/v1/convert?from=EUR&to=GBP&amount=1&date=2026-11-14")
            #expect(gap == .notFound)
            #expect(problem["title"] as? String == "Exchange rate not found")
        }
    }

    @Test(arguments: ["XXX", "ZZZ"])
    func wellFormedCodeWithoutRatesIsNotFound(code: String) async throws {
        try await withLiveApp { client in
            let (status, headers, body) = try await client.getJSON("/v1/convert?from=\(code)&to=USD&amount=1")
            #expect(status == .notFound)
            #expect(headers[.contentType] == "application/problem+json")
            #expect(body["title"] as? String == "Exchange rate not found")
            #expect(body["status"] as? Int == 404)
            #expect((body["detail"] as? String)?.contains(code) == true)
            #expect(body["type"] is String)
        }
    }

    @Test func reportsEveryBadParameterAtOnce() async throws {
        try await withLiveApp { client in
            let (status, headers, body) = try await client.getJSON(
                "/v1/convert?from=US&to=J1Y&amount=1e5&date=2026-11-29&rounding=nearest")
            #expect(status == .unprocessableContent)
            #expect(headers[.contentType] == "application/problem+json")
            let errors = try #require(body["errors"] as? [[String: String]])
            #expect(errors.map { $0["parameter"] } == ["from", "to", "amount", "date", "rounding"])
            #expect(errors.allSatisfy { ($0["detail"] ?? "").isEmpty == false })
            #expect(body["status"] as? Int == 422)
        }
    }

    @Test func missingParametersAreNamed() async throws {
        try await withLiveApp { client in
            let (status, _, body) = try await client.getJSON("/v1/convert")
            #expect(status == .unprocessableContent)
            let errors = try #require(body["errors"] as? [[String: String]])
            #expect(errors.map { $0["parameter"] } == ["from", "to", "amount"])
            #expect(errors.allSatisfy { $0["detail"] == "is required" })
        }
    }

    @Test(arguments: ["", "-1", "%2B1", "%201", "1e5", "NaN", "Infinity", "0x10", "1,000",
                      "1234567890123456789", "0.1234567890123456789", "0", "0.00", "1abc", "1..2"])
    func badAmountsAre422(amount: String) async throws {
        try await withLiveApp { client in
            let (status, _, body) = try await client.getJSON("/v1/convert?from=EUR&to=USD&amount=\(amount)")
            #expect(status == .unprocessableContent)
            let errors = try #require(body["errors"] as? [[String: String]])
            #expect(errors.map { $0["parameter"] } == ["amount"])
        }
    }

    @Test func malformedDateAndRepeatedParameter() async throws {
        try await withLiveApp { client in
            let (status, _, body) = try await client.getJSON("/v1/convert?from=EUR&to=USD&to=GBP&amount=1&date=2024-02-30")
            #expect(status == .unprocessableContent)
            let errors = try #require(body["errors"] as? [[String: String]])
            #expect(errors.map { $0["parameter"] } == ["to", "date"])
        }
    }
}
