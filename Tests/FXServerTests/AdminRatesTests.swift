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
    /// PUT `body` to the admin rates route of `date` and hand back the status, headers and JSON object.
    func putRates(_ date: String, _ body: String, token: String? = adminToken)
        async throws -> (HTTPResponse.Status, HTTPFields, [String: Any])
    {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: "/v1/admin/rates/\(date)", method: .put, headers: headers,
                                 body: ByteBuffer(string: body)) { response in
            let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            return (response.status, response.headers, object ?? [:])
        }
    }
}

@Suite("PUT /v1/admin/rates/{date}", .enabled(if: TestDatabase.isConfigured))
struct AdminRatesTests {
    @Test func aWriteIsReadBackByConvertAndRates() async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let (store, admin) = try await loadedStore(client)
            try await withLiveApp(store: store, admin: admin) { http in
                let (status, _, body) = try await http.putRates(
                    "2026-11-27", #"{"base":"EUR","source":"ECB","rates":{"USD":"1.1234","JPY":"175.68","CHF":"0.9300"}}"#)
                #expect(status == .ok)
                #expect(body["date"] as? String == "2026-11-27")
                #expect(body["base"] as? String == "EUR")
                #expect(body["source"] as? String == "ECB")
                let changed = try #require(body["changed"] as? [String: [String: String]])
                #expect(changed == ["USD": ["old": "1.1172", "new": "1.1234"], "CHF": ["new": "0.9300"]])
                #expect(body["unchanged"] as? [String] == ["JPY"])

                let (_, _, rates) = try await http.getJSON("/v1/rates?symbols=USD,CHF")
                #expect(rates["rates"] as? [String: String] == ["USD": "1.1234", "CHF": "0.93"])
                let (_, _, conversion) = try await http.getJSON("/v1/convert?from=EUR&to=USD&amount=100")
                #expect(conversion["result"] as? String == "112.34")
            }
            let audit = try await client.query("SELECT actor, action, rows, detail->>'date' AS date FROM audit_log WHERE actor = 'admin'")
            #expect(audit.count == 1)
            #expect(try audit.first?.decode(String.self, column: "action") == "rates.put")
            #expect(try audit.first?.decode(Int.self, column: "rows") == 2)
            #expect(try audit.first?.decode(String.self, column: "date") == "2026-11-27")
        }
    }

    @Test func anotherSourceDoesNotReplaceECB() async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let (store, admin) = try await loadedStore(client)
            try await withLiveApp(store: store, admin: admin) { http in
                let (status, _, _) = try await http.putRates(
                    "2026-11-27", #"{"source":"manual-1","rates":{"USD":"9.99","CHF":"0.95"}}"#)
                #expect(status == .ok)
                let (_, _, rates) = try await http.getJSON("/v1/rates?symbols=USD,CHF")
                #expect(rates["rates"] as? [String: String] == ["USD": "1.1172", "CHF": "0.95"])
            }
        }
    }

    @Test func missingOrWrongTokenIs401WithChallenge() async throws {
        try await TestPostgres.withDatabase { client, _ in
            let (store, admin) = try await loadedStore(client)
            try await withLiveApp(store: store, admin: admin) { http in
                let body = #"{"source":"ECB","rates":{"USD":"1.1"}}"#
                for token in [nil, "wrong", adminToken + "x", String(adminToken.dropLast())] {
                    let (status, headers, problem) = try await http.putRates("2026-11-27", body, token: token)
                    #expect(status == .unauthorized)
                    #expect(headers[.wwwAuthenticate] == "Bearer")
                    #expect(headers[.contentType] == "application/problem+json")
                    #expect(problem["status"] as? Int == 401)
                }
            }
            #expect(try await TestPostgres.count(client, "SELECT count(*) AS count FROM rates") == 0)
        }
    }

    @Test func withoutAdminAccessTheRouteDoesNotExist() async throws {
        try await withLiveApp { http in
            let (status, _, problem) = try await http.putRates("2026-11-27", #"{"source":"ECB","rates":{"USD":"1.1"}}"#)
            #expect(status == .notFound)
            #expect(problem["status"] as? Int == 404)
            try await http.execute(uri: "/v1/admin/rates/2026-11-27", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func otherMethodsAre405WithAllowPutAndDelete() async throws {
        try await TestPostgres.withDatabase { client, _ in
            let (store, admin) = try await loadedStore(client)
            try await withLiveApp(store: store, admin: admin) { http in
                try await http.execute(uri: "/v1/admin/rates/2026-11-27", method: .get) { response in
                    #expect(response.status == .methodNotAllowed)
                    #expect(response.headers[.allow] == "PUT, DELETE")
                }
            }
        }
    }

    @Test func everyProblemIsReportedAtOnce() async throws {
        try await TestPostgres.withDatabase { client, _ in
            let (store, admin) = try await loadedStore(client)
            try await withLiveApp(store: store, admin: admin) { http in
                let (status, headers, problem) = try await http.putRates(
                    "2099-01-01",
                    #"{"base":"USD","source":"no spaces!","rates":{"USD":1.1,"JPY":"-3","XXQ":"1.0","EUR":"1","GBP":"0","CHF":"1e3","usd2":"1"},"extra":1}"#)
                #expect(status == .unprocessableContent)
                #expect(headers[.contentType] == "application/problem+json")
                let errors = try #require(problem["errors"] as? [[String: String]])
                #expect(errors.map { $0["parameter"]! } == [
                    "date", "extra", "base", "source",
                    "rates.CHF", "rates.EUR", "rates.GBP", "rates.JPY", "rates.USD", "rates.XXQ", "rates.usd2",
                ])
                #expect(errors.first { $0["parameter"] == "base" }?["detail"]?.contains("EUR") == true)
            }
            #expect(try await TestPostgres.count(client, "SELECT count(*) AS count FROM rates") == 0)
        }
    }

    @Test(arguments: [
        ("2026-11-27", #"{"source":"ECB","rates":{}}"#, "rates"),
        ("2026-11-27", #"{"source":"ECB"}"#, "rates"),
        ("2026-11-27", #"{"rates":{"USD":"1.1"}}"#, "source"),
        ("2026-11-27", #"{"source":"ECB","rates":["USD"]}"#, "rates"),
        ("2026-11-27", #"["USD"]"#, "body"),
        ("2026-11-27", #"{"source":"abcdefghijabcdefghijabcdefghijabc","rates":{"USD":"1.1"}}"#, "source"),
        ("2026-02-30", #"{"source":"ECB","rates":{"USD":"1.1"}}"#, "date"),
        ("27-11-2026", #"{"source":"ECB","rates":{"USD":"1.1"}}"#, "date"),
    ])
    func badBodiesAre422(date: String, body: String, parameter: String) async throws {
        try await TestPostgres.withDatabase { client, _ in
            let (store, admin) = try await loadedStore(client)
            try await withLiveApp(store: store, admin: admin) { http in
                let (status, _, problem) = try await http.putRates(date, body)
                #expect(status == .unprocessableContent)
                #expect((problem["errors"] as? [[String: String]])?.map { $0["parameter"] } == [parameter])
            }
        }
    }

    @Test func unparseableJSONIs400AndHugeBodiesAre413() async throws {
        try await TestPostgres.withDatabase { client, _ in
            let (store, admin) = try await loadedStore(client)
            try await withLiveApp(store: store, admin: admin) { http in
                let (unparseable, _, _) = try await http.putRates("2026-11-27", #"{"source":"ECB","#)
                #expect(unparseable == .badRequest)
                let huge = #"{"source":"ECB","rates":{"USD":""# + String(repeating: "1", count: 70_000) + #""}}"#
                let (tooLarge, _, _) = try await http.putRates("2026-11-27", huge)
                #expect(tooLarge == .contentTooLarge)
            }
        }
    }
}

@Suite("ETags change with the rates", .enabled(if: TestDatabase.isConfigured))
struct ETagChangeTests {
    /// An admin correction of a past date changes its responses' tag, so a client revalidating with the
    /// old tag gets the new body instead of a 304.
    @Test func anAdminWriteChangesTheETagOfThePastDate() async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let (store, admin) = try await loadedStore(client)
            try await withLiveApp(store: store, admin: admin) { http in
                let path = "/v1/rates?symbols=USD&date=2026-11-27"
                let before = try await http.execute(uri: path, method: .get) { try #require($0.headers[.eTag]) }
                try await http.execute(uri: path, method: .get, headers: [.ifNoneMatch: before]) {
                    #expect($0.status == .notModified)
                }
                let (status, _, _) = try await http.putRates("2026-11-27", #"{"base":"EUR","source":"ECB","rates":{"USD":"1.1234"}}"#)
                #expect(status == .ok)
                try await http.execute(uri: path, method: .get, headers: [.ifNoneMatch: before]) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.eTag] != nil && response.headers[.eTag] != before)
                    #expect(String(buffer: response.body).contains("1.1234"))
                }
            }
        }
    }

    /// A sync (an import, then the reload a replica does when the fingerprint changed) changes the tag too.
    @Test func anImportAndReloadChangeTheETag() async throws {
        try await TestPostgres.withDatabase { client, _ in
            _ = try await ECBImporter(client: client).importHistory(sampleECB)
            let (store, _) = try await loadedStore(client)
            try await withLiveApp(store: store) { http in
                let path = "/v1/rates/history?start=2026-11-25&end=2026-11-27&symbols=GBP"
                let before = try await http.execute(uri: path, method: .get) { try #require($0.headers[.eTag]) }
                let corrected = String(decoding: sampleECB, as: UTF8.self).replacingOccurrences(of: "0.8700", with: "0.8701")
                _ = try await ECBImporter(client: client).importHistory(Data(corrected.utf8))
                try await store.reload()
                try await http.execute(uri: path, method: .get, headers: [.ifNoneMatch: before]) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.eTag] != nil && response.headers[.eTag] != before)
                }
            }
        }
    }
}
