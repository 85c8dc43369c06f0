import Foundation

/// The rates of one base currency against others on one observation date.
public struct RateSnapshot: Sendable, Equatable {
    public let base: CurrencyCode
    public let date: Day
    /// Units of each currency per unit of base, at full precision.
    public let rates: [CurrencyCode: Decimal]
}

/// Snapshots of one base currency over a range of days: only observation dates appear.
public struct RateSeries: Sendable, Equatable {
    public let base: CurrencyCode
    public let start: Day
    public let end: Day
    public let snapshots: [RateSnapshot]
}

/// A currency with rates, and the span of dates it has them for.
public struct CurrencyListing: Sendable, Equatable {
    public let currency: Currency
    public let firstDate: Day
    public let lastDate: Day
}
