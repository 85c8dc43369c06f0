import Foundation

/// A rate store that holds a whole history in memory: the embedded default, serving the bundled ECB file.
public struct InMemoryRateStore: RateStore {
    public let history: RateHistory

    public init(history: RateHistory) {
        self.history = history
    }

    /// The ECB history that ships inside fxrates.
    public static func bundledECB() throws -> InMemoryRateStore {
        guard let url = Bundle.module.url(forResource: "eurofxref-hist", withExtension: "csv") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return InMemoryRateStore(history: try ECBHistoryParser.parse(Data(contentsOf: url)))
    }

    public func observation(onOrBefore day: Day?, notBefore earliest: Day?, quoting required: [CurrencyCode])
        -> RateTable?
    {
        history.latest(onOrBefore: day, notBefore: earliest, quoting: required)
    }

    public func observations(from start: Day, through end: Day) -> [RateTable] {
        Array(history.tables(from: start, through: end))
    }

    public func coverage() -> [CurrencyCode: ClosedRange<Day>] {
        history.coverage
    }
}
