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

    @Test func readsFromBytesInPlace() throws {
        let text = "Date,USD,EUR,\n2024-01-03,1.0919,1,\n2024-01-02,1.0956,1,\n"
        let history = try Array(text.utf8).withUnsafeBytes { bytes throws(ECBFormatError) in
            try ECBHistoryParser.parse(bytes)
        }
        #expect(history.tables.map(\.date.description) == ["2024-01-02", "2024-01-03"])
        #expect(history.tables[0].perEuro("USD")?.decimal == Decimal(string: "1.0956"))
        #expect(history.coverage.keys.sorted() == ["EUR", "USD"])
    }

    @Test func readsNotAvailableAsMissingAndToleratesTrailingCommasAndCRLF() throws {
        let history = try parse("Date,USD,CYP,\r\n2024-01-03,1.0919,N/A,\r\n2024-01-02,1.0956,,\r\n")
        #expect(history.tables.map(\.date.description) == ["2024-01-02", "2024-01-03"])
        #expect(history.tables[1].perEuro("USD")?.decimal == Decimal(string: "1.0919"))
        #expect(history.tables[1].quotes("CYP") == false)
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

@Suite("Writing a history in the ECB format")
struct ECBHistoryWriterTests {
    @Test func writtenHistoryParsesBackToTheSameTables() throws {
        let history = RateHistory([
            table("2024-01-02", ["USD": "1.0956", "JPY": "155.52", "CYP": "0.5853"]),
            table("2024-01-03", ["USD": "1.0919"]),
        ])
        let again = try ECBHistoryParser.parse(ECBHistoryWriter.csv(history))
        #expect(again.tables == history.tables)
        #expect(String(decoding: ECBHistoryWriter.csv(history), as: UTF8.self).hasPrefix("Date,CYP,JPY,USD,\n2024-01-03,N/A,N/A,1.0919,\n"))
    }

    @Test func theBundledHistoryRoundTrips() throws {
        let history = try InMemoryRateStore.bundledECB().history
        let csv = ECBHistoryWriter.csv(history)
        #expect(try ECBHistoryParser.parse(csv).tables == history.tables)
        // What the writer writes (the copy in Redis) is read in the fast form.
        #expect(csv.withUnsafeBytes { ECBFastReader.read($0) } != nil)
    }
}
