import FXCore
@testable import FXServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("One structured log line per request")
struct RequestLogTests {
    @Test func requestLineHasMethodPathStatusDurationAndRequestID() async throws {
        let logs = CapturedLogs()
        let app = try buildApplication(settings: Settings(), environment: testEnvironment(), logger: logs.logger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/convert?from=EUR&to=USD&amount=1", method: .get,
                                     headers: [HTTPField.Name("X-Request-ID")!: "log-test-1"]) { _ in }
            try await client.execute(uri: "/v1/convert?from=EUR", method: .get) { _ in }
        }
        let lines = logs.all.filter { $0.message == "request" }
        #expect(lines.count == 2)
        let first = try #require(lines.first)
        #expect(first.metadata["method"]?.description == "GET")
        #expect(first.metadata["path"]?.description == "/v1/convert")
        #expect(first.metadata["status"]?.description == "200")
        #expect(first.metadata["request_id"]?.description == "log-test-1")
        #expect(Double(first.metadata["duration_ms"]?.description ?? "") != nil)
        // Three decimals, written as a JSON number: `0.691`, not `0.6908730000000001`.
        for line in lines {
            let duration = try #require(line.metadata["duration_ms"])
            #expect(duration.description.wholeMatch(of: /[0-9]+\.[0-9]{3}/) != nil, "\(duration)")
            #expect(JSONLogHandler.rendered(duration) == duration.description)
        }
        #expect(lines.last?.metadata["status"]?.description == "422")
    }

    @Test func probesAndMetricsLogAtDebugAndKeepTheirRequestID() async throws {
        let logs = CapturedLogs()
        let app = try buildApplication(settings: Settings(), environment: testEnvironment(), logger: logs.logger())
        try await app.test(.router) { client in
            for path in ["/health", "/ready", "/openapi.json", "/v1/currencies"] {
                try await client.execute(uri: path, method: .get, headers: [HTTPField.Name("X-Request-ID")!: "probe-1"]) {
                    #expect($0.status == .ok)
                    #expect($0.headers[HTTPField.Name("X-Request-ID")!] == "probe-1")
                    #expect($0.headers[HTTPField.Name("RateLimit")!] == nil || path == "/v1/currencies")
                }
            }
            _ = try await client.execute(uri: "/metrics", method: .get) { $0.status }
        }
        let levels = Dictionary(logs.all.filter { $0.message == "request" }.map {
            ($0.metadata["path"]?.description ?? "", $0.level)
        }, uniquingKeysWith: { first, _ in first })
        #expect(levels == ["/health": .debug, "/ready": .debug, "/openapi.json": .debug, "/metrics": .debug,
                           "/v1/currencies": .info])
    }

    @Test func jsonLinesEscapeEverythingAndKeepNumbersNumeric() throws {
        #expect(JSONLogHandler.quoted("a\"b\\c\nd\u{01}") == #""a\"b\\c\nd\u0001""#)
        #expect(JSONLogHandler.rendered(.stringConvertible(200)) == "200")
        #expect(JSONLogHandler.rendered(.string("200")) == "\"200\"")
        #expect(LoggedMilliseconds(.nanoseconds(690_873)).description == "0.691")
        #expect(LoggedMilliseconds(.nanoseconds(690_473)).description == "0.690")
        #expect(LoggedMilliseconds(.seconds(12) + .microseconds(5)).description == "12000.005")
        #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 1_795_908_600.25)) == "2026-11-28T23:30:00.250Z")
    }
}
