/// Collects rates cell by cell, in any order, and lays them out as a `RateHistory`.
///
/// Both history parsers and the PostgreSQL loader fill one, so none of them holds a `Decimal` or a
/// dictionary per date on the way.
public struct RateHistoryBuilder: Sendable {
    private struct Cell {
        var row: Int32
        var column: Int32
        var exponent: Int8
        var significand: UInt64
    }

    private var rowOfDay: [Day: Int] = [:]
    private var rowDays: [Day] = []
    private var columnOfCurrency: [CurrencyCode: Int] = [:]
    private var currencies: [CurrencyCode] = []
    private var cells: [Cell] = []
    private var wideCells: [Int: UInt128] = [:]

    public init(expectedValues: Int = 0) {
        cells.reserveCapacity(expectedValues)
    }

    /// Starts the table of `day` and returns its row. A second table of the same day replaces the first
    /// wholly, as the last of several tables for one date always has.
    public mutating func beginTable(_ day: Day) -> Int {
        let row = rowDays.count
        rowDays.append(day)
        rowOfDay[day] = row
        return row
    }

    /// The row of `day`, begun when there is none yet.
    public mutating func row(for day: Day) -> Int {
        if let row = rowOfDay[day] { return row }
        return beginTable(day)
    }

    /// The column of `currency`; nil for the euro, whose rate is 1 by definition and never stored.
    public mutating func column(for currency: CurrencyCode) -> Int? {
        guard currency != .eur else { return nil }
        if let column = columnOfCurrency[currency] { return column }
        currencies.append(currency)
        columnOfCurrency[currency] = currencies.count - 1
        return currencies.count - 1
    }

    /// Sets a rate; false (and nothing set) when its exponent is outside what a history stores, which no
    /// decimal with at most 18 digits on each side of the point reaches.
    public mutating func set(_ rate: ScaledDecimal, row: Int, column: Int) -> Bool {
        guard let cell = RateGrid.cell(rate) else { return false }
        if let wide = cell.wide { wideCells[cells.count] = wide }
        cells.append(Cell(row: Int32(truncatingIfNeeded: row), column: Int32(truncatingIfNeeded: column),
                          exponent: cell.exponent, significand: cell.significand))
        return true
    }

    public func build() -> RateHistory {
        // Rows in date order, keeping only the last table of each day.
        let keptRows = rowOfDay.sorted { $0.key < $1.key }
        var newRow = [Int](repeating: -1, count: rowDays.count)
        for (index, entry) in keptRows.enumerated() { newRow[entry.value] = index }
        // Columns in code order, keeping only currencies with a rate on a kept row.
        var used = [Bool](repeating: false, count: currencies.count)
        for cell in cells where newRow[Int(cell.row)] >= 0 { used[Int(cell.column)] = true }
        let keptColumns = currencies.indices.filter { used[$0] }.sorted { currencies[$0] < currencies[$1] }
        var newColumn = [Int](repeating: -1, count: currencies.count)
        for (index, column) in keptColumns.enumerated() { newColumn[column] = index }

        let width = keptColumns.count
        var significands = [UInt64](repeating: 0, count: keptRows.count * width)
        var exponents = [Int8](repeating: 0, count: keptRows.count * width)
        var wide: [Int: UInt128] = [:]
        for (index, cell) in cells.enumerated() {
            let row = newRow[Int(cell.row)]
            guard row >= 0 else { continue }
            let slot = row * width + newColumn[Int(cell.column)]
            significands[slot] = cell.significand
            exponents[slot] = cell.exponent
            if cell.significand == RateGrid.wide {
                wide[slot] = wideCells[index]
            } else if !wide.isEmpty {
                wide[slot] = nil
            }
        }
        return RateHistory(grid: RateGrid(
            days: keptRows.map(\.key), currencies: keptColumns.map { currencies[$0] },
            significands: significands, exponents: exponents, wideSignificands: wide))
    }
}
