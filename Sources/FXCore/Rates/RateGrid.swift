/// A whole history as one block of integers: a row per observation date, a column per currency
/// (the euro excluded), each cell a rate per euro as significand and exponent, or nothing.
///
/// 7,000 dates × 41 currencies take under 3 MB this way, where a `Decimal` per value in a dictionary per
/// date took tens, and a date's rates sit next to each other for the responses that list them.
final class RateGrid: Sendable {
    /// Ascending.
    let days: [Day]
    /// In code order.
    let currencies: [CurrencyCode]
    let columnOfCurrency: [CurrencyCode: Int]
    /// Row-major; 0 where the date has no rate for the currency, `wide` where the significand is in
    /// `wideSignificands` because it needs more than 64 bits.
    let significands: [UInt64]
    let exponents: [Int8]
    let wideSignificands: [Int: UInt128]
    let coverage: [CurrencyCode: ClosedRange<Day>]

    static let wide = UInt64.max
    /// Every stored exponent fits an `Int8`; rates from the accepted grammar stay within ±36.
    static let storedExponents = -100...100

    init(days: [Day], currencies: [CurrencyCode], significands: [UInt64], exponents: [Int8],
         wideSignificands: [Int: UInt128]) {
        self.days = days
        self.currencies = currencies
        self.columnOfCurrency = Dictionary(uniqueKeysWithValues: currencies.enumerated().map { ($1, $0) })
        self.significands = significands
        self.exponents = exponents
        self.wideSignificands = wideSignificands
        var coverage: [CurrencyCode: ClosedRange<Day>] = [:]
        if let first = days.first, let last = days.last { coverage[.eur] = first...last }
        // One pass in memory order: the first and last row of each column with a rate.
        var firstRow = [Int](repeating: -1, count: currencies.count)
        var lastRow = firstRow
        for row in days.indices {
            for column in currencies.indices where significands[row * currencies.count + column] != 0 {
                if firstRow[column] < 0 { firstRow[column] = row }
                lastRow[column] = row
            }
        }
        for (column, code) in currencies.enumerated() where firstRow[column] >= 0 {
            coverage[code] = days[firstRow[column]]...days[lastRow[column]]
        }
        self.coverage = coverage
    }

    /// How `rate` is stored in a cell: its significand (or `wide`, with the whole significand apart) and
    /// exponent; nil when its exponent is outside what a history stores, which no decimal with at most 18
    /// digits on each side of the point reaches.
    static func cell(_ rate: ScaledDecimal) -> (significand: UInt64, exponent: Int8, wide: UInt128?)? {
        guard storedExponents.contains(rate.exponent) else { return nil }
        let exponent = Int8(truncatingIfNeeded: rate.exponent)
        if let narrow = UInt64(exactly: rate.significand), narrow != wide { return (narrow, exponent, nil) }
        return (wide, exponent, rate.significand)
    }

    /// The rate per euro in `column` of `row`; column -1 is the euro itself.
    func rate(row: Int, column: Int) -> ScaledDecimal? {
        guard column >= 0 else { return .one }
        let slot = row * currencies.count + column
        let significand = significands[slot]
        if significand == 0 { return nil }
        let exponent = Int(exponents[slot])
        if significand == Self.wide {
            return wideSignificands[slot].map { ScaledDecimal(normalized: $0, exponent: exponent) }
        }
        return ScaledDecimal(normalized: UInt128(significand), exponent: exponent)
    }

    /// The cell in `column` (not the euro's) of `row` as it is stored, when it has a rate that fits 64 bits.
    func narrowCell(row: Int, column: Int) -> (significand: UInt64, exponent: Int)? {
        let slot = row * currencies.count + column
        let significand = significands[slot]
        guard significand != 0, significand != Self.wide else { return nil }
        return (significand, Int(exponents[slot]))
    }

    /// The column of `currency`: -1 for the euro, nil when no date has a rate for it.
    func column(of currency: CurrencyCode) -> Int? {
        currency == .eur ? -1 : columnOfCurrency[currency]
    }

    func quotes(row: Int, column: Int) -> Bool {
        column < 0 || significands[row * currencies.count + column] != 0
    }
}
