import Foundation
import Testing

@testable import FXCore

/// The rates fxrates showed before were `(toRate / fromRate).rounded(significantDigits: 10)` in `Decimal`,
/// written with `description`; integer rates must give the same text for every pair.
@Suite("Exact rates in integers")
struct ScaledDecimalTests {
    static let history = try! InMemoryRateStore.bundledECB().history

    private func decimalRate(_ to: Decimal, _ from: Decimal) -> String {
        (to / from).rounded(significantDigits: ConversionService.rateSignificantDigits).description
    }

    private func integerRate(_ to: ScaledDecimal, _ from: ScaledDecimal) -> String? {
        to.divided(by: from, significantDigits: ConversionService.rateSignificantDigits)?.description
    }

    @Test func textIsTheDescriptionOfTheParsedDecimal() throws {
        for text in ["1.5000", "136", "1000", "0.005", "007.50", "20275.17", "0.000000000000000001",
                     "123456789012345678.123456789012345678", "100000000000000000"] {
            let parsed = try StrictDecimal(parsing: text)
            let scaled = try #require(ScaledDecimal(parsed))
            #expect(scaled.description == parsed.value.description, "\(text)")
            #expect(scaled.decimal == parsed.value, "\(text)")
            #expect(scaled.decimal.exponent == parsed.value.exponent, "\(text)")
            #expect(scaled.decimal.significand == parsed.value.significand, "\(text)")
            let bytes = Array(text.utf8)
            #expect(ScaledDecimal(plainText: bytes) == scaled, "\(text)")
        }
        for bad in ["", "0", "0.000", ".5", "5.", "1.2.3", "-1", "1e5", " 1", "1234567890123456789", "1.1234567890123456789"] {
            #expect(ScaledDecimal(plainText: Array(bad.utf8)) == nil, "\(bad)")
            #expect((try? StrictDecimal(parsing: bad)) == nil, "\(bad)")
        }
    }

    @Test(arguments: [
        ("1234567890123456789", UInt128(1_234_567_890_123_456_789), 0),
        ("12345678901234567890", UInt128(1_234_567_890_123_456_789), 1),
        ("9999999999999999999.5", UInt128(99_999_999_999_999_999_995), -1),
        ("0.00012300", UInt128(123), -6),
        ("100.000", UInt128(1), 2),
        ("0.1000000000000000000000000000000", UInt128(1), -1),
        ("10000000000000000000000000000000000000", UInt128(1), 37),
    ])
    func significandsPastSixtyFourBitsAndTrailingZeros(text: String, significand: UInt128, exponent: Int) throws {
        let parsed = try #require(ScaledDecimal(plainText: Array(text.utf8), maximumDigitsPerSide: 40))
        #expect(parsed.significand == significand)
        #expect(parsed.exponent == exponent)
    }

    /// Every digit count a 64-bit significand can have, on both sides of each power of ten.
    @Test func significandsOfEveryLengthAreWrittenWhole() throws {
        var values: [UInt64] = [1, 7, UInt64.max - 1]
        var power: UInt64 = 10
        for _ in 1...19 {
            values += [power - 1, power + 1, power + 3]
            power = power &* 10
        }
        for value in values where value % 10 != 0 {
            for exponent in [0, -1, -3, 2] {
                let decimal = ScaledDecimal(normalized: UInt128(value), exponent: exponent)
                var buffer = [UInt8](repeating: 0, count: ScaledDecimal.maximumTextLength)
                let written = buffer.withUnsafeMutableBytes { decimal.write(into: $0) }
                #expect(String(decoding: buffer.prefix(written), as: UTF8.self) == decimal.decimal.description, "\(value)e\(exponent)")
            }
        }
    }

    @Test func moreThanThirtyEightSignificantDigitsDoNotFit() {
        #expect(ScaledDecimal(plainText: Array(String(repeating: "9", count: 39).utf8), maximumDigitsPerSide: 40) == nil)
        #expect(ScaledDecimal(plainText: Array(("1" + String(repeating: "0", count: 37)).utf8), maximumDigitsPerSide: 40) != nil)
    }

    @Test func everyBundledValueIsStoredAsTheDecimalItWas() throws {
        let url = try #require(Bundle.module.url(forResource: "eurofxref-hist", withExtension: "csv"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        let codes = lines[0].split(separator: ",").dropFirst().map { CurrencyCode(stringLiteral: String($0)) }
        let tables = Dictionary(uniqueKeysWithValues: Self.history.tables.map { ($0.date, $0) })
        var compared = 0
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let date = try #require(Day(parsing: fields[0]))
            let table = try #require(tables[date])
            for (code, field) in zip(codes, fields.dropFirst()) where !field.isEmpty && field != "N/A" {
                let parsed = try StrictDecimal(parsing: field).value
                let stored = try #require(table.perEuro(code))
                #expect(stored.description == parsed.description)
                #expect(stored.decimal.exponent == parsed.exponent && stored.decimal.significand == parsed.significand)
                compared += 1
            }
        }
        #expect(compared == 221_702)
    }

    @Test func crossRatesOfEveryBaseOverOneYearMatchDecimal() throws {
        let tables = Self.history.tables(from: Day(parsing: "2025-01-01")!, through: Day(parsing: "2025-12-31")!)
        try compare(tables: Array(tables))
    }

    @Test func crossRatesOfADeterministicSampleOfTheWholeHistoryMatchDecimal() throws {
        let all = Self.history.tables
        try compare(tables: stride(from: 0, to: all.count, by: 23).map { all[$0] })
    }

    private func compare(tables: [RateTable]) throws {
        var compared = 0
        for table in tables {
            let codes = table.currencies
            let scaled = codes.map { table.perEuro($0) }
            let decimals = scaled.map { $0?.decimal }
            for (fromIndex, from) in codes.enumerated() {
                for (toIndex, to) in codes.enumerated() where from != to {
                    let toRate = try #require(decimals[toIndex])
                    let fromRate = try #require(decimals[fromIndex])
                    let expected = toRate / fromRate
                    let shown = expected.rounded(significantDigits: ConversionService.rateSignificantDigits).description
                    let got = table.rate(from: from, to: to, significantDigits: ConversionService.rateSignificantDigits)
                    #expect(got?.description == shown, "\(table.date) \(from)→\(to)")
                    compared += 1
                }
            }
        }
        #expect(compared > 10_000)
    }

    @Test func randomSignificandsAndExponentsMatchDecimal() throws {
        var random = SeededRandom(seed: 8)
        for _ in 0..<20_000 {
            let a = try #require(randomValue(&random))
            let b = try #require(randomValue(&random))
            #expect(integerRate(a, b) == decimalRate(a.decimal, b.decimal), "\(a) / \(b)")
        }
    }

    @Test func tiesRoundToEven() throws {
        let cases = [("1.00000000005", "1", "1"), ("1.0000000015", "1", "1.000000002"), ("1.0000000025", "1", "1.000000002"), ("2.5", "2", "1.25"),
                     ("1", "3", "0.3333333333"), ("2", "3", "0.6666666667"), ("99999999995", "1", "100000000000"),
                     ("99999999985", "1", "99999999980")]
        for (to, from, shown) in cases {
            let a = try #require(ScaledDecimal(try StrictDecimal(parsing: to)))
            let b = try #require(ScaledDecimal(try StrictDecimal(parsing: from)))
            #expect(integerRate(a, b) == shown, "\(to) / \(from)")
            #expect(decimalRate(a.decimal, b.decimal) == shown, "\(to) / \(from)")
        }
    }

    /// Up to 19 digits (the integer path) and sometimes up to 36 (the `Decimal` path), with exponents
    /// from -18 to 17, as `StrictDecimal` allows.
    private func randomValue(_ random: inout SeededRandom) -> ScaledDecimal? {
        let digits = Int.random(in: 1...(Bool.random(using: &random) ? 8 : 19), using: &random)
        var significand: UInt128 = UInt128(Int.random(in: 1...9, using: &random))
        for _ in 1..<digits { significand = significand * 10 + UInt128(Int.random(in: 0...9, using: &random)) }
        let exponent = Int.random(in: -18...max(-18, 17 - digits + 1), using: &random)
        return ScaledDecimal(significand: significand, exponent: exponent)
    }
}
