import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Problems, request ids and inputs that must never produce a 500")
struct ErrorsAndRequestIDTests {
    @Test func unknownPathIsAProblem() async throws {
        try await withLiveApp { client in
            let (status, headers, body) = try await client.getJSON("/v2/convert")
            #expect(status == .notFound)
            #expect(headers[.contentType] == "application/problem+json")
            #expect(body["status"] as? Int == 404)
            #expect(body["title"] as? String == "Not Found")
        }
    }

    @Test(arguments: [HTTPRequest.Method.post, .put, .delete, .patch])
    func wrongMethodIs405WithAllow(method: HTTPRequest.Method) async throws {
        try await withLiveApp { client in
            try await client.execute(uri: "/v1/convert?from=EUR&to=USD&amount=1", method: method) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test func requestIDIsEchoedOrGenerated() async throws {
        try await withLiveApp { client in
            let sent = HTTPField.Name("X-Request-ID")!
            let (_, echoed, _) = try await client.getJSON("/health", headers: [sent: "trace-42"])
            #expect(echoed[sent] == "trace-42")

            let (_, first, _) = try await client.getJSON("/health")
            let (_, second, _) = try await client.getJSON("/health")
            let firstID = try #require(first[sent])
            #expect(firstID.count == 32)
            #expect(firstID != second[sent])

            let (_, replaced, _) = try await client.getJSON("/health", headers: [sent: "has spaces"])
            #expect(replaced[sent] != "has spaces")
            #expect(replaced[sent]?.count == 32)
        }
    }

    @Test func randomQueriesNeverProduceAServerError() async throws {
        let alphabet = Array("abcXYZ019.,-+e%20&=;/?#[]'\"<>\\")
        let names = ["from", "to", "amount", "date", "rounding", "base", "symbols", "start", "end", "x"]
        let paths = ["/v1/convert", "/v1/rates", "/v1/rates/history", "/v1/currencies"]
        try await withLiveApp { client in
            var random = SystemRandomNumberGenerator()
            for _ in 0..<300 {
                var query: [String] = []
                for _ in 0..<Int.random(in: 0...5, using: &random) {
                    let value = String((0..<Int.random(in: 0...24, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
                    let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                    query.append("\(names.randomElement(using: &random)!)=\(encoded)")
                }
                let uri = paths.randomElement(using: &random)! + "?" + query.joined(separator: "&")
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status.code < 500, "\(uri)")
                    #expect(response.status == .ok || response.headers[.contentType] == "application/problem+json", "\(uri)")
                }
            }
        }
    }
}
