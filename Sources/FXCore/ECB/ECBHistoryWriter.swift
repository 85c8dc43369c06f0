import Foundation

/// Writes a history in the ECB file format that `ECBHistoryParser` reads, newest date first: the form in
/// which replicas share their rate snapshot through Redis.
public enum ECBHistoryWriter {
    public static func csv(_ history: RateHistory) -> Data {
        let currencies = history.coverage.keys.filter { $0 != .eur }.sorted()
        var text = "Date," + currencies.map(\.rawValue).joined(separator: ",") + ",\n"
        for table in history.tables.reversed() {
            text += table.date.description
            for currency in currencies {
                text += "," + (table.euroRate(currency)?.plainText ?? "N/A")
            }
            text += ",\n"
        }
        return Data(text.utf8)
    }
}
