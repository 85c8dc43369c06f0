import Foundation
import Testing

@testable import FXCore

@Suite("On-or-before lookups")
struct RateHistoryTests {
    static let history = RateHistory([
        table("2024-01-02", ["USD": "1.0956", "JPY": "155.52"]),
        table("2024-01-05", ["USD": "1.0921"]),
        table("2024-01-03", ["USD": "1.0919", "JPY": "156.10"]),
    ])

    @Test func sortsByDate() {
        #expect(Self.history.tables.map(\.date.description) == ["2024-01-02", "2024-01-03", "2024-01-05"])
    }

    @Test func latestQuotingEveryRequiredCurrency() {
        #expect(Self.history.latest(onOrBefore: nil, notBefore: nil, quoting: ["USD"])?.date.description == "2024-01-05")
        #expect(Self.history.latest(onOrBefore: nil, notBefore: nil, quoting: ["USD", "JPY"])?.date.description == "2024-01-03")
        #expect(Self.history.latest(onOrBefore: day("2024-01-04"), notBefore: nil, quoting: ["USD"])?.date.description == "2024-01-03")
        #expect(Self.history.latest(onOrBefore: day("2024-01-01"), notBefore: nil, quoting: ["USD"]) == nil)
        #expect(Self.history.latest(onOrBefore: day("2024-01-04"), notBefore: day("2024-01-04"), quoting: ["USD"]) == nil)
        #expect(Self.history.latest(onOrBefore: nil, notBefore: nil, quoting: ["GBP"]) == nil)
    }

    @Test func rangesIncludeBothEnds() {
        #expect(Self.history.tables(from: day("2024-01-03"), through: day("2024-01-05")).map(\.date.description)
            == ["2024-01-03", "2024-01-05"])
        #expect(Self.history.tables(from: day("2024-01-04"), through: day("2024-01-04")).isEmpty)
        #expect(Self.history.tables(from: day("2024-01-05"), through: day("2024-01-02")).isEmpty)
    }

    @Test func coverageSpansFirstToLastQuote() {
        #expect(Self.history.coverage["JPY"].map { "\($0.lowerBound)…\($0.upperBound)" } == "2024-01-02…2024-01-03")
        #expect(Self.history.coverage["EUR"].map { "\($0.lowerBound)…\($0.upperBound)" } == "2024-01-02…2024-01-05")
    }
}

func day(_ text: String) -> Day {
    Day(parsing: text)!
}

func table(_ date: String, _ rates: [CurrencyCode: String]) -> RateTable {
    RateTable(date: day(date), perEuro: rates.mapValues { ScaledDecimal(try! StrictDecimal(parsing: $0))! })
}
