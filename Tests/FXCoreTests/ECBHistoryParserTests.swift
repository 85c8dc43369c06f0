import Foundation
import Testing

@testable import FXCore

@Suite("The ECB history file")
struct ECBHistoryParserTests {
    private func parse(_ text: String) throws(ECBFormatError) -> RateHistory {
        try ECBHistoryParser.parse(Data(text.utf8))
    }

    @Test func bundledFileLoadsWholly() throws {
        let history = try InMemoryRateStore.bundledECB().history
        #expect(history.tables.count == 7126)
        #expect(history.tables.first?.date.description == "1999-01-04")
        #expect(history.tables.last?.date.description == "2026-10-30")
        #expect(history.tables.last?.perEuro("USD")?.decimal == Decimal(string: "1.1172"))
        #expect(history.tables.last?.perEuro("CYP")?.decimal == nil)
        #expect(history.coverage["CYP"]?.upperBound.description == "2007-12-31")
        #expect(history.coverage["EUR"]?.lowerBound.description == "1999-01-04")
    }

    @Test func theFieldByFieldReaderAgreesWithTheFastOne() throws {
        let url = try #require(Bundle.module.url(forResource: "eurofxref-hist", withExtension: "csv"))
        let data = try Data(contentsOf: url)
        // A lower-case code is valid but outside the fast reader's form, so the whole file is read field by field.
        let lowered = Data("Date,usd".utf8) + data.dropFirst("Date,USD".utf8.count)
        #expect(data.withUnsafeBytes { ECBFastReader.read($0) } != nil)
        #expect(lowered.withUnsafeBytes { ECBFastReader.read($0) } == nil)
        let fieldByField = try parse(String(decoding: lowered, as: UTF8.self))
        let fast = try ECBHistoryParser.parse(data)
        #expect(fieldByField.tables == fast.tables)
        #expect(fieldByField.coverage == fast.coverage)
    }

    @Test func aDateTwiceOrACurrencyWithoutRatesIsReadFieldByField() throws {
        let twice = "Date,USD\n2024-01-02,1.1\n2024-01-02,1.2\n"
        #expect(Data(twice.utf8).withUnsafeBytes { ECBFastReader.read($0) } == nil)
        #expect(try parse(twice).tables.map { $0.perEuro("USD")?.decimal } == [Decimal(string: "1.2")])
        let withoutRates = "Date,USD,CYP\n2024-01-02,1.1,N/A\n"
        #expect(Data(withoutRates.utf8).withUnsafeBytes { ECBFastReader.read($0) } == nil)
        #expect(try parse(withoutRates).coverage["CYP"] == nil)
        #expect(try parse(withoutRates).coverage["USD"] != nil)
    }

    @Test(arguments: [
        ("", 1, 1),
        ("Day,USD\n2024-01-02,1.1\n", 1, 1),
        ("Date,US1\n2024-01-02,1.1\n", 1, 2),
        ("Date,USD\n2024-13-02,1.1\n", 2, 1),
        ("Date,USD,JPY\n2024-01-02,1.1,150\n2024-01-03,1.1\n", 3, 3),
        ("Date,USD,JPY\n2024-01-02,1.1,1e5\n", 2, 3),
        ("Date,USD,JPY\n2024-01-02,-1.1,150\n", 2, 2),
        ("Date,USD\n2024-01-02,0\n", 2, 2),
    ])
    func namesLineAndColumnOfBadInput(text: String, line: Int, column: Int) {
        let error = #expect(throws: ECBFormatError.self) { try parse(text) }
        #expect(error?.line == line)
        #expect(error?.column == column)
    }
}

@Suite("A history as the bytes of its grid (the copy in Redis)")
struct RateHistoryBinaryTests {
    static let history = try! InMemoryRateStore.bundledECB().history

    @Test func theBundledHistoryRoundTripsExactly() throws {
        let bytes = RateHistoryBinary.encode(Self.history)
        let again = try #require(bytes.withUnsafeBytes(RateHistoryBinary.decode))
        #expect(again.tables == Self.history.tables)
        #expect(again.coverage == Self.history.coverage)
    }

    @Test func wideSignificandsAndMissingRatesRoundTrip() throws {
        let history = RateHistory([
            table("2024-01-02", ["USD": "1.0956", "JPY": "123456789012345678.123456789012345678"]),
            table("2024-01-03", ["USD": "1844674407370955.1615", "CYP": "0.5853"]),
        ])
        let again = try #require(RateHistoryBinary.encode(history).withUnsafeBytes(RateHistoryBinary.decode))
        #expect(again.tables == history.tables)
        #expect(again.coverage == history.coverage)
    }

    /// Bytes from Redis are another process's: anything `encode` would not write is refused, not trusted.
    @Test func anythingButWhatEncodeWritesIsRefused() throws {
        let good = RateHistoryBinary.encode(RateHistory([
            table("2024-01-02", ["USD": "1.0956", "JPY": "155.52"]), table("2024-01-03", ["USD": "1.0919"]),
        ]))
        func decodes(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes(RateHistoryBinary.decode) != nil }
        func changed(at offset: Int, to value: UInt8) -> [UInt8] {
            var bytes = good
            bytes[offset] = value
            return bytes
        }
        // Two dates; JPY and USD; cells JPY, USD of the first date, then of the second (JPY empty).
        let days = 20, codes = days + 2 * 4, exponents = codes + 2 * 3, significands = exponents + 4
        func significand(_ slot: Int, _ value: UInt64) -> [UInt8] {
            var bytes = good
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(significands + 8 * slot..<significands + 8 * slot + 8, with: $0) }
            return bytes
        }
        #expect(decodes(good))
        #expect(decodes(significand(2, 7)))                             // a rate where there was none
        #expect(!decodes(Array(good.dropLast())))
        #expect(!decodes(good + [0]))
        #expect(!decodes(changed(at: 0, to: UInt8(ascii: "X"))))
        #expect(!decodes(changed(at: 8, to: 200)))                      // a date count the length does not hold
        #expect(!decodes(changed(at: days + 4, to: good[days])))        // two dates alike: not ascending
        #expect(!decodes(changed(at: codes, to: UInt8(ascii: "a"))))    // a lower-case code
        #expect(!decodes(changed(at: codes + 3, to: UInt8(ascii: "A")))) // codes out of order
        #expect(!decodes(changed(at: exponents, to: 120)))              // an exponent no rate has
        #expect(!decodes(significand(0, 10)))                           // 10 × 10^e is 1 × 10^(e+1), stored so
        #expect(!decodes(significand(3, .max)))                         // a wide cell without its significand
        #expect(!decodes(significand(0, 0)))                            // JPY without any rate
    }
}
