import Foundation
import Testing

@testable import FXCore

@Suite("Conversion through the euro pivot")
struct ConversionServiceTests {
    static let ecb = ConversionService(store: try! InMemoryRateStore.bundledECB())

    private func convert(_ from: CurrencyCode, _ to: CurrencyCode, _ amount: String, date: String? = nil,
                         rounding: Rounding = .halfEven, service: ConversionService = ecb) async throws -> Conversion {
        try await service.convert(ConversionRequest(
            from: from, to: to, amount: try StrictDecimal(parsing: amount), date: date.map(day), rounding: rounding))
    }

    @Test func usdToJPYAsInTheContract() async throws {
        // 100.00 × 175.68 / 1.1172 = 15725.0268…; the rate 175.68 / 1.1172 = 157.25026852…
        let conversion = try await convert("USD", "JPY", "100.00")
        #expect(conversion.result.description == "15725")
        #expect(conversion.rate.description == "157.2502685")
        #expect(conversion.amount.text == "100.00")
        #expect(conversion.date.description == "2026-10-30")
        #expect(conversion.minorUnits == 0)
    }

    @Test func storedRateIsShownAsStored() async throws {
        let conversion = try await convert("EUR", "USD", "1")
        #expect(conversion.rate.description == "1.1172")
        #expect(conversion.result.description == "1.12")
    }

    @Test func sameCurrencyHasRateOne() async throws {
        let conversion = try await convert("GBP", "GBP", "10.005")
        #expect(conversion.rate == .one)
        #expect(conversion.result.description == "10.00")
        #expect(try await convert("GBP", "GBP", "10.015").result.description == "10.02")
    }

    @Test func roundsOnceNotTwice() async throws {
        let store = InMemoryRateStore(history: RateHistory([table("2024-01-02", ["USD": "1.25", "GBP": "0.8"])]))
        let service = ConversionService(store: store)
        // 0.5 × 0.8 / 1.25 = 0.32 exactly. 1.005 × 1.25 = 1.25625 rounds to 1.26; rounding the amount
        // first (1.00, half-even) would give 1.25. 1.002 × 1.25 = 1.2525 rounds to 1.25, or up to 1.26.
        #expect(try await convert("USD", "GBP", "0.5", service: service).result.description == "0.32")
        #expect(try await convert("EUR", "USD", "1.005", service: service).result.description == "1.26")
        #expect(try await convert("EUR", "USD", "1.002", service: service).result.description == "1.25")
        #expect(try await convert("EUR", "USD", "1.002", rounding: .up, service: service).result.description == "1.26")
    }

    @Test func minorUnitsOfTheTarget() async throws {
        let store = InMemoryRateStore(history: RateHistory([table("2024-01-02", ["BHD": "0.41234", "JPY": "155.52"])]))
        let service = ConversionService(store: store)
        let bhd = try await convert("EUR", "BHD", "100", service: service)
        #expect(bhd.result.description == "41.234")
        let jpy = try await convert("BHD", "JPY", "1", service: service)
        #expect(jpy.result.description == "377")
    }

    @Test func dateUsesTheLatestObservationWithinFourteenDays() async throws {
        #expect(try await convert("EUR", "USD", "1", date: "2024-01-07").date.description == "2024-01-05")
        #expect(try await convert("EUR", "USD", "1", date: "2026-11-13").date.description == "2026-10-30")
        await #expect(throws: ExchangeRateError.self) { try await convert("EUR", "USD", "1", date: "2026-11-14") }
        await #expect(throws: ExchangeRateError.self) { try await convert("EUR", "USD", "1", date: "1998-12-31") }
    }

    @Test func retiredCurrenciesConvertOnTheirDates() async throws {
        let cyprus = try await convert("CYP", "EUR", "100", date: "2007-06-01")
        #expect(cyprus.date.description == "2007-06-01")
        #expect(cyprus.result.description == "171.47")  // 100 / 0.5832 = 171.4677…
        let lira = try await convert("EUR", "TRL", "1", date: "2004-06-01")
        #expect(lira.minorUnits == 0)
        #expect(lira.result.description.contains(".") == false)
        await #expect(throws: ExchangeRateError.self) { try await convert("CYP", "EUR", "1", date: "2026-10-30") }
    }

    @Test func unknownCurrenciesHaveNoRate() async throws {
        await #expect(throws: ExchangeRateError.self) { try await convert("XXX", "USD", "1") }
        await #expect(throws: ExchangeRateError.self) { try await convert("USD", "ZZZ", "1") }
    }

    @Test func roundTripStaysWithinTheRoundingBound() async throws {
        // A → B → A can lose at most half a minor unit of B (worth rA/rB in A) plus half a minor unit of A.
        let table = try #require(try await Self.ecb.rates(base: "EUR", symbols: [], on: nil))
        var random = SeededRandom(seed: 42)
        let codes = [CurrencyCode.eur] + table.rates.keys.sorted()
        for _ in 0..<600 {
            let a = codes.randomElement(using: &random)!, b = codes.randomElement(using: &random)!
            let text = "\(Int.random(in: 1...9_999_999, using: &random)).\(random.digits(count: 2))"
            let there = try await convert(a, b, text)
            let back = try await convert(b, a, there.result.description)
            let minorA = Decimal(sign: .plus, exponent: -back.minorUnits, significand: 1)
            let minorB = Decimal(sign: .plus, exponent: -there.minorUnits, significand: 1)
            let bound = minorB / 2 * back.rate.decimal + minorA / 2 + minorA / 1000
            let error = abs(try StrictDecimal(parsing: back.result.description).value - (try StrictDecimal(parsing: text)).value)
            #expect(error <= bound, "\(text) \(a)→\(b)→\(a) gave \(back.result)")
            if a == b || (a == "EUR" && b == "USD") {
                #expect(error <= minorA, "\(text) \(a)→\(b)→\(a) within one minor unit")
            }
        }
    }

    @Test func resultsCarryExactlyTheTargetsMinorUnits() async throws {
        var random = SeededRandom(seed: 9)
        for _ in 0..<300 {
            let amount = "\(Int.random(in: 1...100_000, using: &random)).\(random.digits(count: 5))"
            for target: CurrencyCode in ["JPY", "USD", "ISK", "EUR"] {
                let conversion = try await convert("GBP", target, amount)
                let text = conversion.result.description
                let fraction = text.split(separator: ".").dropFirst().first?.count ?? 0
                #expect(fraction == (["JPY", "ISK"].contains(target) ? 0 : 2), "\(text)")
            }
        }
    }

    @Test func ratesAndSymbols() async throws {
        let snapshot = try await Self.ecb.rates(base: "USD", symbols: ["EUR", "JPY"], on: day("2026-10-30"))
        #expect(snapshot.rates["JPY"]?.decimal == Decimal(string: "157.2502685"))
        #expect(snapshot.rates["EUR"]?.decimal == Decimal(string: "0.8950948801"))
        await #expect(throws: ExchangeRateError.notQuoted(currencies: ["CYP"], on: day("2026-10-30"))) {
            try await Self.ecb.rates(base: "EUR", symbols: ["USD", "CYP"], on: nil)
        }
        let all = try await Self.ecb.rates(base: "EUR", symbols: [], on: nil)
        #expect(all.rates["EUR"] == nil)
        #expect(all.rates.count == 29)
    }

    @Test func theWrittenJSONObjectListsTheShownRates() async throws {
        // Over the euro a stored rate is written from its cell unless it has more digits than are shown; the
        // date has no SEK, which the object leaves out.
        let store = InMemoryRateStore(history: RateHistory([
            table("2024-01-02", ["USD": "1.0956", "JPY": "123456.78901234", "GBP": "9999999999", "CHF": "10000000000.5"]),
            table("2024-01-03", ["USD": "1.0919", "SEK": "11.2"]),
        ]))
        let service = ConversionService(store: store)
        #expect(RateSheet.largestShownAsStored == UInt64(PowersOfTen.table[ConversionService.rateSignificantDigits] - 1))
        for base: CurrencyCode in ["EUR", "USD"] {
            for symbols: [CurrencyCode] in [[], ["GBP", "EUR", "JPY", "USD"]] {
                let series = try await service.history(base: base, symbols: symbols, from: day("2024-01-02"),
                                                       through: day("2024-01-02"))
                let sheet = try #require(series.sheets.first)
                var buffer = [UInt8](repeating: 0, count: sheet.maximumJSONObjectLength)
                let written = buffer.withUnsafeMutableBytes { sheet.writeJSONObject(into: $0) }
                let shown = sheet.rates.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }
                #expect(String(decoding: buffer.prefix(written), as: UTF8.self) == "{" + shown.joined(separator: ",") + "}")
            }
        }
        let overEuro = try await service.rates(base: "EUR", symbols: [], on: day("2024-01-02"))
        #expect(overEuro.rates["JPY"]?.description == "123456.789")
        #expect(overEuro.rates["GBP"]?.description == "9999999999")
        #expect(overEuro.rates["CHF"]?.description == "10000000000")
    }

    @Test func historyListsOnlyObservationDates() async throws {
        let series = try await Self.ecb.history(base: "EUR", symbols: ["USD"], from: day("2024-01-01"), through: day("2024-01-07"))
        #expect(series.sheets.map(\.date.description) == ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"])
        let weekend = try await Self.ecb.history(base: "EUR", symbols: ["USD"], from: day("2024-01-06"), through: day("2024-01-07"))
        #expect(weekend.sheets.isEmpty)
        await #expect(throws: ExchangeRateError.self) {
            try await Self.ecb.history(base: "EUR", symbols: ["CYP"], from: day("2024-01-01"), through: day("2024-01-07"))
        }
    }

    @Test func listingsCoverEveryCurrencyWithRates() async throws {
        let listings = try await Self.ecb.listings()
        #expect(listings.count == 42)
        let usd = try #require(listings.first { $0.currency.code == "USD" })
        #expect(usd.currency.name == "US Dollar")
        #expect(usd.firstDate.description == "1999-01-04")
        #expect(usd.lastDate.description == "2026-10-30")
        #expect(listings.first { $0.currency.code == "TRL" }?.currency.minorUnits == 0)
    }
}
