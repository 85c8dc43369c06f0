/// Observations sorted by date, with the on-or-before lookups the API needs.
public struct RateHistory: Sendable {
    let grid: RateGrid

    init(grid: RateGrid) {
        self.grid = grid
    }

    /// One table per date; of several tables for one date, the last wins.
    public init(_ tables: [RateTable]) {
        var builder = RateHistoryBuilder()
        for table in tables { builder.append(table) }
        self = builder.build()
    }

    /// Sorted by date, one table per date.
    public var tables: RateTables { RateTables(grid: grid) }

    /// The first and last date on which each currency has a rate.
    public var coverage: [CurrencyCode: ClosedRange<Day>] { grid.coverage }

    /// This history with `table` in place of the one of `day` (added when the day is new, and the day
    /// dropped when `table` is nil).
    public func replacing(day: Day, with table: RateTable?) -> RateHistory {
        var builder = RateHistoryBuilder(expectedValues: grid.significands.count)
        for existing in tables where existing.date != day { builder.append(existing) }
        if let table { builder.append(table) }
        return builder.build()
    }

    /// The latest table dated on or before `day` (the latest of all when nil) and not before `earliest`
    /// that quotes every currency in `required`.
    public func latest(onOrBefore day: Day?, notBefore earliest: Day?, quoting required: [CurrencyCode]) -> RateTable? {
        var columns: [Int] = []
        for code in required {
            guard let column = grid.column(of: code) else { return nil }
            columns.append(column)
        }
        var row = day.map(endRow(onOrBefore:)) ?? grid.days.endIndex
        while row > 0 {
            row -= 1
            if let earliest, grid.days[row] < earliest { return nil }
            if columns.allSatisfy({ grid.quotes(row: row, column: $0) }) { return RateTable(grid: grid, row: row) }
        }
        return nil
    }

    /// The tables dated from `start` through `end`, in date order.
    public func tables(from start: Day, through end: Day) -> RateTables.SubSequence {
        guard start <= end else { return tables[0..<0] }
        return tables[endRow(onOrBefore: start.adding(days: -1))..<endRow(onOrBefore: end)]
    }

    /// The row just past the last one dated on or before `day` (binary search).
    private func endRow(onOrBefore day: Day) -> Int {
        grid.days.partitioningIndex { $0 > day }
    }
}

/// The tables of a history, in date order, made on demand from its rows.
public struct RateTables: RandomAccessCollection, Equatable, Sendable {
    let grid: RateGrid

    public var startIndex: Int { 0 }
    public var endIndex: Int { grid.days.count }

    public subscript(position: Int) -> RateTable {
        RateTable(grid: grid, row: position)
    }

    public static func == (lhs: RateTables, rhs: RateTables) -> Bool {
        lhs.elementsEqual(rhs)
    }
}

extension RateHistoryBuilder {
    /// Adds `table` as the table of its date.
    public mutating func append(_ table: RateTable) {
        let row = beginTable(table.date)
        for (index, code) in table.grid.currencies.enumerated() {
            guard let rate = table.grid.rate(row: table.row, column: index), let column = column(for: code) else { continue }
            _ = set(rate, row: row, column: column)
        }
    }
}
