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

    /// Calls `body` with each listed currency the date has a rate for, its position among the listed
    /// currencies (for `listedCodeBytes`), and the rate, in code order.
    public func forEachRate(_ body: (_ position: Int, CurrencyCode, ScaledDecimal) throws -> Void) rethrows {
        guard let baseRate else { return }
        for position in 0..<listedCount {
            if let rate = rate(at: position, baseRate: baseRate) { try body(position, listing.currencies[position], rate) }
        }
    }

    /// The base currency's rate per euro on this date; nil when the date has none (then it lists nothing).
    public var baseRate: ScaledDecimal? {
        table.grid.rate(row: table.row, column: listing.baseColumn)
    }

    /// The shown rate of the listed currency at `position`, from `baseRate`; nil when the date has no rate
    /// for it. Writers loop over positions with this, where a closure per rate would keep their state in memory.
    public func rate(at position: Int, baseRate: ScaledDecimal) -> ScaledDecimal? {
        let column = listing.columns[position]
        guard let rate = table.grid.rate(row: table.row, column: column) else { return nil }
        return column == listing.baseColumn
            ? ScaledDecimal.one
            : rate.divided(by: baseRate, significantDigits: ConversionService.rateSignificantDigits)
    }

    /// The largest significand with `ConversionService.rateSignificantDigits` digits, as a literal: a computed
    /// static would be checked for initialization on every rate.
    static let largestShownAsStored: UInt64 = 9_999_999_999

    /// Units of each currency per unit of base.
    public var rates: [CurrencyCode: ScaledDecimal] {
        var rates: [CurrencyCode: ScaledDecimal] = [:]
        forEachRate { _, code, rate in rates[code] = rate }
        return rates
    }

    public static func == (lhs: RateSheet, rhs: RateSheet) -> Bool {
        lhs.base == rhs.base && lhs.date == rhs.date && lhs.rates == rhs.rates
    }
}

/// The currencies a sheet lists, resolved once to the columns of a history, so that a year of sheets
/// does not look up every code on every date.
///
/// A class: every sheet of a year holds the same listing, and one reference to count per sheet rather than
/// four (the arrays') keeps the threads that write histories from contending on their reference counts.
final class RateListing: Sendable {
    let grid: RateGrid
    let baseColumn: Int
    /// In code order, without repeats.
    let currencies: [CurrencyCode]
    /// The column of each currency; -1 for the euro.
    let columns: [Int]
    /// The three ASCII letters of each currency, in order.
    let codeBytes: [UInt8]

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
        self.codeBytes = currencies.flatMap { Array($0.rawValue.utf8) }
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
