@testable import FXPostgres
import FXCore
import Foundation
import Testing
import FXSupport

@Suite("Value encoding and decoding without a server")
struct CodecTests {
    @Test func copyTextEscapesSpecialCharacters() throws {
        var buffer: [UInt8] = []
        try CopyTextEncoder.append(row: ["a\\b", "tab\there", "line\nbreak\r", nil, "\\N", ""], to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "a\\\\b\ttab\\there\tline\\nbreak\\r\t\\N\t\\\\N\t\n")
    }

    @Test func copyTextRejectsNUL() {
        var buffer: [UInt8] = []
        #expect(throws: PostgresError.self) { try CopyTextEncoder.append(row: ["a\u{0}b"], to: &buffer) }
    }

    @Test func timestampRoundTripsWithMicroseconds() throws {
        let date = Date(timeIntervalSince1970: 1_714_571_110.123456)
        let text = PostgresTimestamp.format(date)
        #expect(text == "2024-05-01 13:45:10.123456+00")
        let parsed = try #require(PostgresTimestamp.parse(text))
        #expect(abs(parsed.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_001)
    }

    @Test func timestampParsesOffsetsAndRejectsGarbage() {
        // 23:30 at UTC-05:30 is 05:00 UTC on 2000-01-01.
        #expect(PostgresTimestamp.parse("1999-12-31 23:30:00-05:30") == Date(timeIntervalSince1970: 946_702_800))
        #expect(PostgresTimestamp.parse("infinity") == nil)
        #expect(PostgresTimestamp.parse("2024-13-01 00:00:00+00") == nil)
    }

    @Test func backoffIsCappedAndJittered() {
        let backoff = ReconnectBackoff(initialDelay: .milliseconds(100), maximumDelay: .seconds(2))
        var generator = SystemRandomNumberGenerator()
        for failures in 1...40 {
            let ceiling = min(Duration.seconds(2), .milliseconds(100) * (1 << min(failures - 1, 30)))
            let delay = backoff.delay(afterFailures: failures, using: &generator)
            #expect(delay >= ceiling / 2 && delay <= ceiling)
        }
    }

    @Test func byteaDecodesHex() {
        #expect([UInt8](postgresText: "\\x00ff10") == [0x00, 0xFF, 0x10])
        #expect([UInt8](postgresText: "\\x0") == nil)
        #expect(PostgresValue.bytea([0x00, 0xFF, 0x10]).text == "\\x00ff10")
    }
}
