import Foundation

/// Reads the ECB euro reference rates history (`eurofxref-hist.csv`).
///
/// The format: a header `Date,USD,JPY,…` and one line per observation date, newest first,
/// with `N/A` (or nothing) where a currency has no rate. Lines may end with a trailing comma.
public enum ECBHistoryParser {
    public static func parse(_ data: Data) throws(ECBFormatError) -> RateHistory {
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .enumerated()
            .map { (number: $0.offset + 1, fields: fields(of: $0.element)) }
            .filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) }
        guard !lines.isEmpty else { throw ECBFormatError(line: 1, column: 1, reason: "the file is empty") }
        let header = lines.removeFirst()
        let currencies = try parseHeader(header.fields, line: header.number)
        var tables: [RateTable] = []
        tables.reserveCapacity(lines.count)
        for line in lines {
            tables.append(try parseRow(line.fields, line: line.number, currencies: currencies))
        }
        return RateHistory(tables)
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
        _ fields: [Substring], line: Int, currencies: [CurrencyCode]
    ) throws(ECBFormatError) -> RateTable {
        guard let day = Day(parsing: fields[0]) else {
            throw ECBFormatError(line: line, column: 1, reason: "\"\(fields[0])\" is not a date (YYYY-MM-DD)")
        }
        guard fields.count == currencies.count + 1 else {
            throw ECBFormatError(
                line: line, column: min(fields.count, currencies.count + 1) + 1,
                reason: "expected \(currencies.count + 1) fields, found \(fields.count)")
        }
        var rates: [CurrencyCode: Decimal] = [:]
        rates.reserveCapacity(currencies.count)
        for (index, code) in currencies.enumerated() {
            let field = fields[index + 1].trimmingCharacters(in: .whitespaces)
            if field.isEmpty || field == "N/A" { continue }
            do {
                rates[code] = try StrictDecimal(parsing: field).value
            } catch {
                throw ECBFormatError(line: line, column: index + 2, reason: "\(code) rate \"\(field)\" \(error)")
            }
        }
        return RateTable(date: day, perEuro: rates)
    }
}
