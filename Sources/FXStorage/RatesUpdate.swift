import FXCore

/// Rates of one source on one date, each the price of one unit of `base`, validated by the caller.
public struct RatesUpdate: Sendable {
    public let date: Day
    public let base: CurrencyCode
    public let source: String
    public let rates: [CurrencyCode: StrictDecimal]

    public init(date: Day, base: CurrencyCode, source: String, rates: [CurrencyCode: StrictDecimal]) {
        self.date = date
        self.base = base
        self.source = source
        self.rates = rates
    }
}

/// What writing a `RatesUpdate` did: the rates that changed, with the value they had (nil when new),
/// and the currencies whose rate was already the same number.
public struct RatesUpdateOutcome: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public let old: String?
        public let new: String
    }

    public let changed: [CurrencyCode: Change]
    public let unchanged: [CurrencyCode]
}

/// The rates a delete removed from one date, each with its source and the rate it had, in source and
/// quote order; empty when the date held none of them.
public struct RatesDeletion: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public let source: String
        public let quote: String
        public let rate: String
    }

    public let date: Day
    public let rows: [Row]
}
