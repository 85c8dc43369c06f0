import Foundation

/// The rates of one base currency against others on one observation date, each rounded half-even to
/// `ConversionService.rateSignificantDigits` significant digits, as the API shows them.
///
/// A sheet computes its rates when they are read, from its table, so a year of history is written
/// without holding a rate per value in between.
public struct RateSheet: Sendable, Equatable {
    public let base: CurrencyCode
    let table: RateTable
    let listing: RateListing

    public var date: Day { table.date }

    /// How many currencies the sheet lists at most: those it was asked for, whether or not the date has them.
    public var listedCount: Int { listing.currencies.count }

    /// Calls `body` with each listed currency the date has a rate for, and the rate, in code order.
    public func forEachRate(_ body: (CurrencyCode, ScaledDecimal) throws -> Void) rethrows {
        guard let baseRate = table.grid.rate(row: table.row, column: listing.baseColumn) else { return }
        for (code, column) in zip(listing.currencies, listing.columns) {
            guard let rate = table.grid.rate(row: table.row, column: column) else { continue }
            let shown = column == listing.baseColumn
                ? ScaledDecimal.one
                : rate.divided(by: baseRate, significantDigits: ConversionService.rateSignificantDigits)
            if let shown { try body(code, shown) }
        }
    }

    /// Units of each currency per unit of base.
    public var rates: [CurrencyCode: ScaledDecimal] {
        var rates: [CurrencyCode: ScaledDecimal] = [:]
        forEachRate { rates[$0] = $1 }
        return rates
    }

    public static func == (lhs: RateSheet, rhs: RateSheet) -> Bool {
        lhs.base == rhs.base && lhs.date == rhs.date && lhs.rates == rhs.rates
    }
}

/// The currencies a sheet lists, resolved once to the columns of a history, so that a year of sheets
/// does not look up every code on every date.
struct RateListing: Sendable {
    let grid: RateGrid
    let baseColumn: Int
    /// In code order, without repeats.
    let currencies: [CurrencyCode]
    /// The column of each currency; -1 for the euro.
    let columns: [Int]

    /// `symbols`, or every currency of the history and the euro when empty, without the base in that case;
    /// nil when the history has no rate for the base.
    init?(base: CurrencyCode, symbols: [CurrencyCode], grid: RateGrid) {
        guard let baseColumn = grid.column(of: base) else { return nil }
        self.grid = grid
        self.baseColumn = baseColumn
        let listed = symbols.isEmpty ? ([.eur] + grid.currencies).filter { $0 != base } : Array(Set(symbols))
        var currencies: [CurrencyCode] = []
        var columns: [Int] = []
        for code in listed.sorted() {
            guard let column = grid.column(of: code) else { continue }
            currencies.append(code)
            columns.append(column)
        }
        self.currencies = currencies
        self.columns = columns
    }
}

/// Sheets of one base currency over a range of days: only observation dates appear.
public struct RateSeries: Sendable, Equatable {
    public let base: CurrencyCode
    public let start: Day
    public let end: Day
    public let sheets: [RateSheet]
}

/// A currency with rates, and the span of dates it has them for.
public struct CurrencyListing: Sendable, Equatable {
    public let currency: Currency
    public let firstDate: Day
    public let lastDate: Day
}
