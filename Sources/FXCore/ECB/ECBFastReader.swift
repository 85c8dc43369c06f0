/// Reads an ECB history file in the exact form the ECB publishes and `ECBHistoryWriter` writes, from its
/// bytes, without a `String` or an array per line: a whole history in a few milliseconds, so reloads do
/// not hold up requests.
///
/// Returns nil for anything outside that form (whitespace, lower-case codes, invalid values, a comma on
/// its own line); `ECBHistoryParser` then reads the file field by field, which accepts or names the error.
enum ECBFastReader {
    static func read(_ bytes: UnsafeRawBufferPointer) -> RateHistory? {
        var lines = LineCursor(bytes: bytes)
        guard let header = lines.next(), let currencies = readHeader(bytes, header) else { return nil }
        var builder = RateHistoryBuilder(expectedValues: bytes.count / 8)
        let columns = currencies.map { builder.column(for: $0) }
        while let line = lines.next() {
            guard readRow(bytes, line, columns: columns, into: &builder) else { return nil }
        }
        return builder.build()
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

    private static func readRow(
        _ bytes: UnsafeRawBufferPointer, _ line: Range<Int>, columns: [Int?], into builder: inout RateHistoryBuilder
    ) -> Bool {
        var fields = FieldCursor(line: line, bytes: bytes)
        guard let dateField = fields.next(), let day = Day(ascii: UnsafeRawBufferPointer(rebasing: bytes[dateField]))
        else { return false }
        let row = builder.beginTable(day)
        for column in columns {
            guard let field = fields.next() else { return false }
            let text = UnsafeRawBufferPointer(rebasing: bytes[field])
            if text.isEmpty || text.elementsEqual("N/A".utf8) { continue }
            guard let rate = ScaledDecimal(plainText: text) else { return false }
            if let column, !builder.set(rate, row: row, column: column) { return false }
        }
        return fields.next() == nil
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
