import Foundation

/// Reads the ECB euro reference rates history (`eurofxref-hist.csv`).
///
/// The format: a header `Date,USD,JPY,…` and one line per observation date, newest first,
/// with `N/A` (or nothing) where a currency has no rate. Lines may end with a trailing comma.
public enum ECBHistoryParser {
    public static func parse(_ data: Data) throws(ECBFormatError) -> RateHistory {
        // The file as the ECB writes it is read straight from its bytes; anything
        // else (spaces, lower-case codes, an error) is read again field by field, which names the error.
        if let history = data.withUnsafeBytes({ ECBFastReader.read($0) }) { return history }
        return try parseFields(data)
    }

    private static func parseFields(_ data: Data) throws(ECBFormatError) -> RateHistory {
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .enumerated()
            .map { (number: $0.offset + 1, fields: fields(of: $0.element)) }
            .filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) }
        guard !lines.isEmpty else { throw ECBFormatError(line: 1, column: 1, reason: "the file is empty") }
        let header = lines.removeFirst()
        let currencies = try parseHeader(header.fields, line: header.number)
        var builder = RateHistoryBuilder(expectedValues: lines.count * currencies.count)
        let columns = currencies.map { builder.column(for: $0) }
        for line in lines {
            try parseRow(line.fields, line: line.number, currencies: currencies, columns: columns, into: &builder)
        }
        return builder.build()
    }

    private static func fields(of line: Data.SubSequence) -> [Substring] {
        var text = Substring(decoding: line, as: UTF8.self)
        if text.last == "\r" { text = text.dropLast() }
        var fields = text.split(separator: ",", omittingEmptySubsequences: false)
        if fields.count > 1, fields.last?.isEmpty == true { fields.removeLast() }
        return fields
    }

    private static func parseHeader(_ fields: [Substring], line: Int) throws(ECBFormatError) -> [CurrencyCode] {
        guard fields.first == "Date" else {
            throw ECBFormatError(line: line, column: 1, reason: "expected the header to start with \"Date\"")
        }
        var codes: [CurrencyCode] = []
        for (offset, field) in fields.enumerated().dropFirst() {
            guard let code = CurrencyCode(parsing: field.trimmingCharacters(in: .whitespaces)) else {
                throw ECBFormatError(line: line, column: offset + 1, reason: "\"\(field)\" is not a currency code")
            }
            codes.append(code)
        }
        return codes
    }

    private static func parseRow(
        _ fields: [Substring], line: Int, currencies: [CurrencyCode], columns: [Int?],
        into builder: inout RateHistoryBuilder
    ) throws(ECBFormatError) {
        guard let day = Day(parsing: fields[0]) else {
            throw ECBFormatError(line: line, column: 1, reason: "\"\(fields[0])\" is not a date (YYYY-MM-DD)")
        }
        guard fields.count == currencies.count + 1 else {
            throw ECBFormatError(
                line: line, column: min(fields.count, currencies.count + 1) + 1,
                reason: "expected \(currencies.count + 1) fields, found \(fields.count)")
        }
        let row = builder.beginTable(day)
        for (index, code) in currencies.enumerated() {
            let field = fields[index + 1].trimmingCharacters(in: .whitespaces)
            if field.isEmpty || field == "N/A" { continue }
            let rate: ScaledDecimal?
            do {
                rate = ScaledDecimal(try StrictDecimal(parsing: field))
            } catch {
                throw ECBFormatError(line: line, column: index + 2, reason: "\(code) rate \"\(field)\" \(error)")
            }
            guard let rate, columns[index].map({ builder.set(rate, row: row, column: $0) }) ?? true else {
                throw ECBFormatError(line: line, column: index + 2, reason: "\(code) rate \"\(field)\" is out of range")
            }
        }
    }
}
