import FXServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("GET /v1/currencies, /health, /ready and /openapi.json")
struct CurrenciesAndProbesTests {
    @Test func currenciesWithRates() async throws {
        try await withLiveApp { client in
            let (status, _, body) = try await client.getJSON("/v1/currencies")
            #expect(status == .ok)
            let currencies = try #require(body["currencies"] as? [[String: Any]])
            #expect(currencies.count == 42)
            let usd = try #require(currencies.first { $0["code"] as? String == "USD" })
            #expect(usd["name"] as? String == "US Dollar")
            #expect(usd["minor_units"] as? Int == 2)
            #expect(usd["first_date"] as? String == "1999-01-04")
            #expect(usd["last_date"] as? String == "2026-10-30")
            let cyp = try #require(currencies.first { $0["code"] as? String == "CYP" })
            #expect(cyp["last_date"] as? String == "2007-12-31")
        }
    }

    @Test func healthIsAlwaysPass() async throws {
        try await withLiveApp(readiness: Readiness()) { client in
            let (status, headers, body) = try await client.getJSON("/health")
            #expect(status == .ok)
            #expect(headers[.contentType] == "application/health+json")
            #expect(body["status"] as? String == "pass")
        }
    }

    @Test func readyOnlyOnceRatesAreLoadedAndUntilDraining() async throws {
        let readiness = Readiness()
        try await withLiveApp(readiness: readiness) { client in
            let (before, headers, notLoaded) = try await client.getJSON("/ready")
            #expect(before == .serviceUnavailable)
            #expect(headers[.contentType] == "application/health+json")
            #expect(notLoaded["checks"] is [String: Any])

            readiness.markRatesLoaded()
            let (loaded, _, body) = try await client.getJSON("/ready")
            #expect(loaded == .ok)
            #expect(body["status"] as? String == "pass")

            readiness.markDraining()
            let (draining, _, drainingBody) = try await client.getJSON("/ready")
            #expect(draining == .serviceUnavailable)
            #expect(drainingBody["status"] as? String == "fail")
        }
    }

    @Test func openAPIDocumentDescribesEveryRoute() async throws {
        try await withLiveApp { client in
            let (status, _, body) = try await client.getJSON("/openapi.json")
            #expect(status == .ok)
            #expect(body["openapi"] as? String == "3.1.0")
            let paths = try #require(body["paths"] as? [String: Any])
            #expect(Set(paths.keys) == ["/v1/convert", "/v1/rates", "/v1/rates/history", "/v1/currencies",
                                        "/health", "/ready", "/metrics", "/openapi.json", "/docs", "/docs/{asset}",
                                        "/v1/admin/rates/{date}"])
        }
    }
}
