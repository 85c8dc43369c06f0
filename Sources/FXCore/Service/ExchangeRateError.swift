/// Why the service has no answer for a well-formed question.
public enum ExchangeRateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No observation in the look-back window quotes these currencies.
    case rateNotFound(currencies: [CurrencyCode], onOrBefore: Day?)
    /// The observation that answers for the date has no rate for these currencies.
    case notQuoted(currencies: [CurrencyCode], on: Day)

    public var description: String {
        switch self {
        case let .rateNotFound(currencies, day):
            let when = day.map { "on or within \(ConversionService.lookbackDays) days before \($0)" } ?? "in any observation"
            return "No exchange rate for \(Self.names(currencies)) \(when)"
        case let .notQuoted(currencies, day):
            return "No exchange rate for \(Self.names(currencies)) on \(day), the observation used"
        }
    }

    private static func names(_ currencies: [CurrencyCode]) -> String {
        currencies.map(\.rawValue).joined(separator: ", ")
    }
}
