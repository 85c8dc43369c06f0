import Foundation

/// The rates of one observation date, each the price of one euro in that currency.
///
/// The euro is the pivot: every cross rate is `r_to / r_from`, so a table needs no other base.
public struct RateTable: Hashable, Sendable {
    public let date: Day
    private let perEuro: [CurrencyCode: Decimal]

    /// `perEuro` must not include EUR itself: its rate is 1 by definition.
    public init(date: Day, perEuro: [CurrencyCode: Decimal]) {
        self.date = date
        self.perEuro = perEuro.filter { $0.key != .eur }
    }

    /// Units of `currency` per euro, or nil when this date has no rate for it.
    public func euroRate(_ currency: CurrencyCode) -> Decimal? {
        currency == .eur ? 1 : perEuro[currency]
    }

    public func quotes(_ currency: CurrencyCode) -> Bool {
        euroRate(currency) != nil
    }

    /// Every currency with a rate on this date, EUR included, in code order.
    public var currencies: [CurrencyCode] {
        ([.eur] + perEuro.keys).sorted()
    }

    /// Units of `to` per unit of `from`, at full precision.
    public func rate(from: CurrencyCode, to: CurrencyCode) -> Decimal? {
        guard let fromRate = euroRate(from), let toRate = euroRate(to) else { return nil }
        return from == to ? 1 : toRate / fromRate
    }
}
