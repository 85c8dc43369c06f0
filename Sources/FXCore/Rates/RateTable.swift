import Foundation

/// The rates of one observation date, each the price of one euro in that currency: a row of a history.
///
/// The euro is the pivot: every cross rate is `r_to / r_from`, so a table needs no other base.
public struct RateTable: Hashable, Sendable {
    let grid: RateGrid
    let row: Int

    init(grid: RateGrid, row: Int) {
        self.grid = grid
        self.row = row
    }

    /// A table of its own, outside any history. `perEuro` must not include EUR itself: its rate is 1 by
    /// definition.
    public init(date: Day, perEuro: [CurrencyCode: ScaledDecimal]) {
        var builder = RateHistoryBuilder(expectedValues: perEuro.count)
        let row = builder.beginTable(date)
        for (code, rate) in perEuro {
            if let column = builder.column(for: code) { _ = builder.set(rate, row: row, column: column) }
        }
        self.init(grid: builder.build().grid, row: 0)
    }

    public var date: Day { grid.days[row] }

    /// Units of `currency` per euro, exactly as stored, or nil when this date has no rate for it.
    public func perEuro(_ currency: CurrencyCode) -> ScaledDecimal? {
        grid.column(of: currency).flatMap { grid.rate(row: row, column: $0) }
    }

    public func quotes(_ currency: CurrencyCode) -> Bool {
        grid.column(of: currency).map { grid.quotes(row: row, column: $0) } ?? false
    }

    /// Every currency with a rate on this date, EUR included, in code order.
    public var currencies: [CurrencyCode] {
        ([.eur] + grid.currencies.indices.filter { grid.quotes(row: row, column: $0) }.map { grid.currencies[$0] })
            .sorted()
    }

    /// Units of `to` per unit of `from`, rounded half-even to `digits` significant digits.
    public func rate(from: CurrencyCode, to: CurrencyCode, significantDigits digits: Int) -> ScaledDecimal? {
        guard let fromRate = perEuro(from), let toRate = perEuro(to) else { return nil }
        return from == to ? .one : toRate.divided(by: fromRate, significantDigits: digits)
    }

    /// Equal when the dates and every rate are, whichever history each table belongs to.
    public static func == (lhs: RateTable, rhs: RateTable) -> Bool {
        lhs.date == rhs.date && lhs.currencies == rhs.currencies
            && lhs.currencies.allSatisfy { lhs.perEuro($0) == rhs.perEuro($0) }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(date)
        for code in currencies {
            hasher.combine(code)
            hasher.combine(perEuro(code))
        }
    }
}
