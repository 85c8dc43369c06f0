/// Observations sorted by date, with the on-or-before lookups the API needs.
public struct RateHistory: Sendable {
    /// Sorted by date, one table per date.
    public let tables: [RateTable]
    /// The first and last date on which each currency has a rate.
    public let coverage: [CurrencyCode: ClosedRange<Day>]

    public init(_ tables: [RateTable]) {
        let sorted = Dictionary(tables.map { ($0.date, $0) }, uniquingKeysWith: { _, last in last })
            .values.sorted { $0.date < $1.date }
        self.tables = sorted
        var coverage: [CurrencyCode: ClosedRange<Day>] = [:]
        for table in sorted {
            for code in table.currencies {
                let first = coverage[code]?.lowerBound ?? table.date
                coverage[code] = first...table.date
            }
        }
        self.coverage = coverage
    }

    /// This history with `table` in place of the one of its date (or added, when the date is new).
    public func replacing(_ table: RateTable) -> RateHistory {
        RateHistory(tables + [table])
    }

    /// The latest table dated on or before `day` (the latest of all when nil) and not before `earliest`
    /// that quotes every currency in `required`.
    public func latest(onOrBefore day: Day?, notBefore earliest: Day?, quoting required: [CurrencyCode]) -> RateTable? {
        var index = day.map(endIndex(onOrBefore:)) ?? tables.endIndex
        while index > tables.startIndex {
            index -= 1
            let table = tables[index]
            if let earliest, table.date < earliest { return nil }
            if required.allSatisfy(table.quotes) { return table }
        }
        return nil
    }

    /// The tables dated from `start` through `end`, in date order.
    public func tables(from start: Day, through end: Day) -> ArraySlice<RateTable> {
        guard start <= end else { return [] }
        return tables[endIndex(onOrBefore: start.adding(days: -1))..<endIndex(onOrBefore: end)]
    }

    /// The index just past the last table dated on or before `day` (binary search).
    private func endIndex(onOrBefore day: Day) -> Int {
        var low = tables.startIndex
        var high = tables.endIndex
        while low < high {
            let middle = (low + high) / 2
            if tables[middle].date <= day { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
