/// The three reference-rate feeds the ECB publishes at https://www.ecb.europa.eu/stats/eurofxref/.
public enum ECBFeed: String, Sendable, CaseIterable {
    /// `eurofxref-daily.xml`: the last working day's rates (about 2 KB), replaced at about 16:00 CET.
    case daily
    /// `eurofxref-hist-90d.xml`: the last 90 days (about 100 KB), to catch up after missed days.
    case ninetyDays = "90d"
    /// `eurofxref-hist.zip`: the whole history since 1999 as the CSV `fxrates import ecb` reads (about 600 KB).
    /// The ECB's `eurofxref-hist.xml` holds the same rates in about 40 times the bytes.
    case history = "hist"

    public var defaultURL: String {
        switch self {
        case .daily: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
        case .ninetyDays: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml"
        case .history: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
        }
    }

    /// How the body is read: the XML feeds by `ECBFeedParser`, the zip by the CSV importer's reader.
    var isXML: Bool { self != .history }
}
