/// Reads an ECB history file in the exact form the ECB publishes, from its bytes, without a `String` or an
/// array per line: the bundled history and an import in a few milliseconds.
///
/// It lays the grid out before reading a value (rows by date, columns by code) and writes each rate
/// straight into its cell, so a reload allocates the grid and little else: no list of cells to sort,
/// which for a whole history would be three times the grid.
///
/// Returns nil for anything outside that form (whitespace, lower-case codes, invalid values, a comma on
/// its own line, a date or a code twice, a currency without any rate); `ECBHistoryParser` then reads the
/// file field by field, which accepts or names the error.
enum ECBFastReader {
    static func read(_ bytes: UnsafeRawBufferPointer) -> RateHistory? {
        var lines = LineCursor(bytes: bytes)
        guard let header = lines.next(), let codes = readHeader(bytes, header) else { return nil }
        var rows: [(day: Day, line: Range<Int>)] = []
        rows.reserveCapacity(bytes.count / max(1, 8 * codes.count))
        while let line = lines.next() {
            let date = line.lowerBound..<min(line.lowerBound + 10, line.upperBound)
            guard let day = Day(ascii: UnsafeRawBufferPointer(rebasing: bytes[date])) else { return nil }
            rows.append((day, line))
        }
        // The ECB writes newest first; which of two tables for one date wins is the builder's rule.
        rows.sort { $0.day < $1.day }
        for (earlier, later) in zip(rows, rows.dropFirst()) where earlier.day == later.day { return nil }

        let currencies = codes.filter { $0 != .eur }.sorted()
        guard Set(currencies).count == currencies.count else { return nil }
        let columnOfField = codes.map { code in currencies.firstIndex(of: code) }
        let (cellCount, overflow) = rows.count.multipliedReportingOverflow(by: currencies.count)
        guard !overflow else { return nil }
        var grid = GridCells(count: cellCount, width: currencies.count)
        for (row, entry) in rows.enumerated() {
            guard readRow(bytes, entry.line, row: row, columns: columnOfField, into: &grid) else { return nil }
        }
        guard grid.usedColumns == currencies.count else { return nil }
        return RateHistory(grid: RateGrid(
            days: rows.map(\.day), currencies: currencies, significands: grid.significands,
            exponents: grid.exponents, wideSignificands: grid.wide))
    }

    /// `Date,USD,JPY,…` with an optional trailing comma.
    private static func readHeader(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) -> [CurrencyCode]? {
        var fields = FieldCursor(line: line, bytes: bytes)
        guard let first = fields.next(), bytes[first].elementsEqual("Date".utf8) else { return nil }
        var codes: [CurrencyCode] = []
        while let field = fields.next() {
            guard field.count == 3, bytes[field].allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) })
            else { return nil }
            codes.append(CurrencyCode(uppercaseASCII: UnsafeRawBufferPointer(rebasing: bytes[field])))
        }
        return codes
    }

    /// The rates of one line after its date, into `row`; the euro's own column is read and checked, not kept.
    private static func readRow(
        _ bytes: UnsafeRawBufferPointer, _ line: Range<Int>, row: Int, columns: [Int?], into grid: inout GridCells
    ) -> Bool {
        var fields = FieldCursor(line: line, bytes: bytes)
        guard let date = fields.next(), date.count == 10 else { return false }
        for column in columns {
            guard let field = fields.next() else { return false }
            let text = UnsafeRawBufferPointer(rebasing: bytes[field])
            if text.isEmpty || text.elementsEqual("N/A".utf8) { continue }
            guard let rate = ScaledDecimal(plainText: text), let cell = RateGrid.cell(rate) else { return false }
            if let column { grid.set(cell, row: row, column: column) }
        }
        return fields.next() == nil
    }
}

/// The cells of a grid being read, with which columns have a rate yet.
private struct GridCells {
    let width: Int
    var significands: [UInt64]
    var exponents: [Int8]
    var wide: [Int: UInt128] = [:]
    private var used: [Bool]
    private(set) var usedColumns = 0

    init(count: Int, width: Int) {
        self.width = width
        significands = [UInt64](repeating: 0, count: count)
        exponents = [Int8](repeating: 0, count: count)
        used = [Bool](repeating: false, count: width)
    }

    mutating func set(_ cell: (significand: UInt64, exponent: Int8, wide: UInt128?), row: Int, column: Int) {
        let slot = row * width + column
        significands[slot] = cell.significand
        exponents[slot] = cell.exponent
        if let value = cell.wide { wide[slot] = value }
        if !used[column] {
            used[column] = true
            usedColumns += 1
        }
    }
}

/// The lines of a file, without their `\n` or `\r\n`, skipping empty ones as the parser does.
private struct LineCursor {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    mutating func next() -> Range<Int>? {
        while position < bytes.count {
            let start = position
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            position = end + 1
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            if end > start { return start..<end }
        }
        return nil
    }
}

/// The comma-separated fields of a line; a trailing comma ends the line without an empty field after it.
private struct FieldCursor {
    let line: Range<Int>
    let bytes: UnsafeRawBufferPointer
    var position: Int
    var done = false

    init(line: Range<Int>, bytes: UnsafeRawBufferPointer) {
        self.line = line
        self.bytes = bytes
        self.position = line.lowerBound
    }

    mutating func next() -> Range<Int>? {
        guard !done else { return nil }
        let start = position
        var end = start
        while end < line.upperBound, bytes[end] != UInt8(ascii: ",") { end += 1 }
        position = end + 1
        if end >= line.upperBound || end + 1 == line.upperBound { done = true }
        return start..<end
    }
}
