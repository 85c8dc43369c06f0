import FXCore

/// Parsers for the query parameters of the v1 API, each with a message that says what to send instead.
enum ParameterParsers {
    typealias Parse<Value> = @Sendable (String) -> Result<Value, ParameterFailure>

    static let currency: Parse<CurrencyCode> = { text in
        CurrencyCode(parsing: text).map(Result.success)
            ?? .failure(.init(detail: "must be a three-letter currency code such as USD, not \(quoted(text))"))
    }

    static let amount: Parse<StrictDecimal> = { text in
        Result { () throws(DecimalSyntaxError) in try StrictDecimal(parsing: text) }
            .mapError { ParameterFailure(detail: "\($0); expected a positive decimal such as 100.00 with at most 18 digits on each side of the point") }
    }

    static let rounding: Parse<Rounding> = { text in
        Rounding(rawValue: text).map(Result.success)
            ?? .failure(.init(detail: "must be one of \(Rounding.allCases.map(\.rawValue).joined(separator: ", "))"))
    }

    /// A day in `YYYY-MM-DD` form that is not after `today` (UTC).
    static func day(notAfter today: Day) -> Parse<Day> {
        { text in
            guard let day = Day(parsing: text) else {
                return .failure(.init(detail: "must be a calendar date in the form YYYY-MM-DD"))
            }
            guard day <= today else {
                return .failure(.init(detail: "must not be in the future (today is \(today) UTC)"))
            }
            return .success(day)
        }
    }

    /// Input echoed in a message, cut short so a huge parameter cannot make a huge response.
    static func quoted(_ text: some StringProtocol) -> String {
        text.count > 24 ? "\"\(text.prefix(24))…\"" : "\"\(text)\""
    }

    /// A comma-separated list of currency codes, duplicates dropped, order kept.
    static let currencyList: Parse<[CurrencyCode]> = { text in
        var codes: [CurrencyCode] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let code = CurrencyCode(parsing: item) else {
                return .failure(.init(detail: "must be comma-separated three-letter currency codes such as USD,JPY; \(quoted(item)) is not one"))
            }
            if !codes.contains(code) { codes.append(code) }
        }
        return .success(codes)
    }
}
