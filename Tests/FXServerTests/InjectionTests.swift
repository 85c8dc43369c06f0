import FXPostgres
import FXServer
import FXStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import FXTestSupport

@Suite("SQL-injection-shaped input is refused and harmless", .enabled(if: TestDatabase.isConfigured))
struct InjectionTests {
    static let payload = "'; DROP TABLE rates; --"
    static var encoded: String { payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    static let queries = [
        "/v1/convert?from=\(encoded)&to=USD&amount=1",
        "/v1/convert?from=EUR&to=\(encoded)&amount=1",
        "/v1/convert?from=EUR&to=USD&amount=\(encoded)",
        "/v1/convert?from=EUR&to=USD&amount=1&date=\(encoded)",
        "/v1/convert?from=EUR&to=USD&amount=1&rounding=\(encoded)",
        "/v1/rates?base=\(encoded)",
        "/v1/rates?symbols=USD,\(encoded)",
        "/v1/rates?date=\(encoded)",
        "/v1/rates/history?start=\(encoded)&end=2026-11-27",
        "/v1/rates/history?start=2026-11-20&end=\(encoded)",
        "/v1/rates/history?start=2026-11-20&end=2026-11-27&base=\(encoded)",
        "/v1/rates/history?start=2026-11-20&end=2026-11-27&symbols=\(encoded)",
    ]

    static var bodies: [(date: String, body: String)] {
        let json = payload.replacingOccurrences(of: "\"", with: "\\\"")
        return [
            (encoded, #"{"source":"ECB","rates":{"USD":"1.2"}}"#),
            ("2026-11-27", #"{"source":"\#(json)","rates":{"USD":"1.2"}}"#),
            ("2026-11-27", #"{"base":"\#(json)","source":"ECB","rates":{"USD":"1.2"}}"#),
            ("2026-11-27", #"{"source":"ECB","rates":{"\#(json)":"1.2"}}"#),
            ("2026-11-27", #"{"source":"ECB","rates":{"USD":"\#(json)"}}"#),
            ("2026-11-27", #"{"source":"ECB","rates":{"USD":"1.2"},"\#(json)":"x"}"#),
        ]
    }

    @Test func everyParameterRefusesItAndTheRatesStayIntact() async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let (store, admin) = try await loadedStore(client)
            try await withLiveApp(store: store, admin: admin) { http in
                for uri in Self.queries {
                    let (status, _, _) = try await http.getJSON(uri)
                    #expect(status.kind == .clientError, "\(uri)")
                }
                for (date, body) in Self.bodies {
                    let (status, _, _) = try await http.putRates(date, body)
                    #expect(status.kind == .clientError, "\(date) \(body)")
                }
                let (status, _, rates) = try await http.getJSON("/v1/rates?symbols=USD")
                #expect(status == .ok)
                #expect(rates["rates"] as? [String: String] == ["USD": "1.1172"])
            }
            #expect(try await TestPostgres.count(client, "SELECT count(*) AS count FROM rates") == 8)
            #expect(try await TestPostgres.count(client, "SELECT count(*) AS count FROM audit_log") == 1)
        }
    }
}
