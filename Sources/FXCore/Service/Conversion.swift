import Foundation

/// A question for the conversion service: how much `to` is `amount` of `from` worth.
public struct ConversionRequest: Sendable {
    public var from: CurrencyCode
    public var to: CurrencyCode
    public var amount: StrictDecimal
    /// Use the latest observation on or before this day; the latest of all when nil.
    public var date: Day?
    public var rounding: Rounding

    public init(from: CurrencyCode, to: CurrencyCode, amount: StrictDecimal, date: Day? = nil,
                rounding: Rounding = .default) {
        self.from = from
        self.to = to
        self.amount = amount
        self.date = date
        self.rounding = rounding
    }
}

/// The service's answer, with the observation date actually used.
public struct Conversion: Sendable, Equatable {
    public let from: CurrencyCode
    public let to: CurrencyCode
    public let amount: StrictDecimal
    /// The effective rate, rounded half-even to `ConversionService.rateSignificantDigits` significant digits.
    public let rate: ScaledDecimal
    /// `amount × r_to / r_from`, rounded once to the target's minor units.
    public let result: MinorUnitAmount
    public let minorUnits: Int
    public let date: Day
}
