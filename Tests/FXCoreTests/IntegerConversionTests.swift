import Foundation
import Testing

@testable import FXCore

/// Conversions are computed in integers; before, they were `amount × to / from` in `Decimal`, rounded with
/// `NSDecimalRound` and written with `plainText(scale:)`. Wherever that was exact the text must be the same.
@Suite("Conversions in integers match Decimal")
struct IntegerConversionTests {
    static let history = try! InMemoryRateStore.bundledECB().history
    static let minorUnitCounts = [0, 2, 3, 4]

    /// The text fxrates wrote before, from the old computation and the old formatting.
    private func decimalText(_ amount: StrictDecimal, to: ScaledDecimal, from: ScaledDecimal, minorUnits: Int,
                             rounding: Rounding) -> String {
        (amount.value * to.decimal / from.decimal).rounded(scale: minorUnits, rounding).plainText(scale: minorUnits)
    }

    /// Compares one case; returns whether the integer path took it (false when it overflowed).
    private func compare(_ amount: StrictDecimal, to: ScaledDecimal, from: ScaledDecimal, minorUnits: Int,
                         rounding: Rounding) -> Bool {
        let expected = decimalText(amount, to: to, from: from, minorUnits: minorUnits, rounding: rounding)
        let fallback = ConversionService.decimalResult(amount, to: to, from: from, minorUnits: minorUnits, rounding: rounding)
        #expect(fallback?.description == expected, "fallback \(amount) × \(to) / \(from), \(minorUnits) \(rounding)")
        guard let integer = MinorUnitAmount(converting: amount, to: to, from: from, minorUnits: minorUnits, rounding: rounding)
        else { return false }
        #expect(integer.description == expected, "\(amount) × \(to) / \(from), \(minorUnits) \(rounding)")
        return true
    }

    /// Digits from 1 to 18 before the point and 0 to 18 after it, each count equally likely.
    private func randomAmount(using random: inout SeededRandom) -> StrictDecimal? {
        let integerDigits = Int.random(in: 1...18, using: &random)
        let fractionDigits = Int.random(in: 0...18, using: &random)
        let integer = String(Int.random(in: 1...9, using: &random)) + random.digits(count: integerDigits - 1)
        let text = fractionDigits == 0 ? integer : integer + "." + random.digits(count: fractionDigits)
        return try? StrictDecimal(parsing: Bool.random(using: &random) ? text : "0." + random.digits(count: max(1, fractionDigits)))
    }

    private func randomRates(using random: inout SeededRandom) -> (from: ScaledDecimal, to: ScaledDecimal)? {
        let tables = Self.history.tables
        let table = tables[Int.random(in: 0..<tables.count, using: &random)]
        let codes = table.currencies
        guard let from = codes.randomElement(using: &random), let to = codes.randomElement(using: &random),
              let fromRate = table.perEuro(from), let toRate = table.perEuro(to)
        else { return nil }
        return (fromRate, toRate)
    }

    @Test func randomAmountsPairsAndDates() throws {
        var random = SeededRandom(seed: 8)
        var compared = 0, integral = 0
        for _ in 0..<25_000 {
            guard let amount = randomAmount(using: &random), let (from, to) = randomRates(using: &random) else { continue }
            for minorUnits in Self.minorUnitCounts {
                for rounding in Rounding.allCases {
                    if compare(amount, to: to, from: from, minorUnits: minorUnits, rounding: rounding) { integral += 1 }
                    compared += 1
                }
            }
        }
        #expect(compared >= 390_000)
        // Long amounts overflow 128 bits and take Decimal; most must not.
        #expect(integral * 2 >= compared, "\(integral) of \(compared) in integers")
    }

    @Test func shortAmountsOfEveryPairOnSampledDates() throws {
        var random = SeededRandom(seed: 21)
        let tables = Self.history.tables
        var compared = 0
        for table in stride(from: 0, to: tables.count, by: 211).map({ tables[$0] }) {
            let rates = table.currencies.compactMap { table.perEuro($0) }
            for from in rates {
                for to in rates {
                    let text = "\(Int.random(in: 1...99_999, using: &random)).\(random.digits(count: Int.random(in: 0...3, using: &random)))"
                    let amount = try StrictDecimal(parsing: text.hasSuffix(".") ? String(text.dropLast()) : text)
                    let minorUnits = Self.minorUnitCounts.randomElement(using: &random) ?? 2
                    for rounding in Rounding.allCases {
                        #expect(compare(amount, to: to, from: from, minorUnits: minorUnits, rounding: rounding))
                        compared += 1
                    }
                }
            }
        }
        #expect(compared >= 100_000)
    }

    /// Amounts whose converted value ends in an exact 5 one digit past the minor units: a multiple of the
    /// source rate's significand, so the division is exact, times 5 × an odd number.
    @Test func exactTiesRoundAsBefore() throws {
        var random = SeededRandom(seed: 5)
        var ties = 0
        while ties < 20_000 {
            guard let (from, to) = randomRates(using: &random), to.significand % 2 == 1 else { continue }
            let odd = UInt128(Int.random(in: 0...999_999, using: &random) * 2 + 1)
            let minorUnits = Self.minorUnitCounts.randomElement(using: &random) ?? 2
            // value = from_sig × 5 × odd × 10^e_a × to / from = 5 × odd × to_sig × 10^(e_a + e_t − e_f)
            let exponent = -(minorUnits + 1) - to.exponent + from.exponent
            guard let amount = strictDecimal(significand: from.significand * 5 * odd, exponent: exponent) else { continue }
            for rounding in [Rounding.halfEven, .halfUp] {
                let integer = try #require(MinorUnitAmount(converting: amount, to: to, from: from,
                                                           minorUnits: minorUnits, rounding: rounding))
                let expected = decimalText(amount, to: to, from: from, minorUnits: minorUnits, rounding: rounding)
                #expect(integer.description == expected, "\(amount) × \(to) / \(from), \(minorUnits) \(rounding)")
            }
            ties += 1
        }
    }

    /// Through the service: the shown rate is the text `Decimal` gave, and the result is the old one, for
    /// targets of every minor-unit count (rates of ECB currencies lent to BHD, KWD and CLF).
    @Test func serviceAnswersAsBeforeForEveryMinorUnitCount() async throws {
        let latest = try #require(Self.history.tables.last)
        let lent: [CurrencyCode: CurrencyCode] = ["BHD": "GBP", "KWD": "CHF", "CLF": "AUD", "JPY": "JPY", "USD": "USD", "IDR": "IDR"]
        let rows = lent.compactMapValues { latest.perEuro($0)?.description }
        let store = InMemoryRateStore(history: RateHistory([table("2024-01-02", rows)]))
        let service = ConversionService(store: store)
        var random = SeededRandom(seed: 13)
        let codes = [CurrencyCode.eur] + lent.keys.sorted()
        for _ in 0..<3_000 {
            guard let amount = randomAmount(using: &random), let from = codes.randomElement(using: &random),
                  let to = codes.randomElement(using: &random), let rounding = Rounding.allCases.randomElement(using: &random)
            else { continue }
            let conversion = try await service.convert(ConversionRequest(from: from, to: to, amount: amount, rounding: rounding))
            let tableRates = try #require(store.history.tables.last)
            let fromRate = try #require(tableRates.perEuro(from)), toRate = try #require(tableRates.perEuro(to))
            let minorUnits = try #require(CurrencyRegistry.iso4217[to]).minorUnits
            #expect(conversion.minorUnits == minorUnits)
            #expect(conversion.result.description
                == decimalText(amount, to: toRate, from: fromRate, minorUnits: minorUnits, rounding: rounding))
            let rate = from == to ? "1" : (toRate.decimal / fromRate.decimal).rounded(significantDigits: 10).description
            #expect(conversion.rate.description == rate)
        }
    }

    @Test func textOfRoundedDecimalsAsPlainTextWroteIt() throws {
        for (text, minorUnits, expected) in [("0", 2, "0.00"), ("0", 0, "0"), ("15725", 0, "15725"), ("2.8", 2, "2.80"),
                                             ("41.234", 3, "41.234"), ("0.0001", 4, "0.0001"), ("1200", 2, "1200.00"),
                                             ("123456789012345678901234567890", 4, "123456789012345678901234567890.0000")] {
            let decimal = try #require(Decimal(string: text))
            #expect(decimal.plainText(scale: minorUnits) == expected)
            #expect(MinorUnitAmount(rounded: decimal, minorUnits: minorUnits)?.description == expected)
        }
        let huge = Decimal(sign: .plus, exponent: 60, significand: Decimal(string: "12345678901234567890123456789012345678")!)
        #expect(MinorUnitAmount(rounded: huge, minorUnits: 2)?.description == huge.plainText(scale: 2))
        #expect(MinorUnitAmount(rounded: .nan, minorUnits: 2) == nil)
        #expect(MinorUnitAmount(units: 7, minorUnits: 4).description == "0.0007")
        #expect(MinorUnitAmount(units: 0, minorUnits: 3).description == "0.000")
        #expect(MinorUnitAmount(units: UInt128.max, minorUnits: 2).description == "3402823669209384634633746074317682114.55")
    }

    @Test func overflowTakesDecimal() throws {
        let amount = try StrictDecimal(parsing: "999999999999999999.999999999999999999")
        let rate = try #require(ScaledDecimal(plainText: Array("123456.789".utf8)))
        #expect(MinorUnitAmount(converting: amount, to: rate, from: .one, minorUnits: 4, rounding: .up) == nil)
        let fallback = try #require(ConversionService.decimalResult(amount, to: rate, from: .one, minorUnits: 4, rounding: .up))
        #expect(fallback.description == decimalText(amount, to: rate, from: .one, minorUnits: 4, rounding: .up))
    }

    private func strictDecimal(significand: UInt128, exponent: Int) -> StrictDecimal? {
        var digits = String(significand)
        if exponent > 0 { digits += String(repeating: "0", count: exponent) }
        let fraction = max(0, -exponent)
        if digits.count <= fraction { digits = String(repeating: "0", count: fraction - digits.count + 1) + digits }
        let text = fraction == 0 ? digits : digits.dropLast(fraction) + "." + digits.suffix(fraction)
        return try? StrictDecimal(parsing: text)
    }
}
