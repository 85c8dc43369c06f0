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

    /// A day on which rates can be stored: from the ECB's first observation through `today` (UTC), so that
    /// nothing outside what PostgreSQL's `date` and the history hold reaches a query.
    static func storedDay(notAfter today: Day) -> Parse<Day> {
        { text in
            guard let day = Day(parsing: text) else {
                return .failure(.init(detail: "must be a calendar date in the form YYYY-MM-DD"))
            }
            guard (Day.firstECBObservation...today).contains(day) else {
                return .failure(.init(detail: "must be from \(Day.firstECBObservation) (the first ECB observation) through \(today) (today, UTC)"))
            }
            return .success(day)
        }
    }

    /// Input echoed in a message, cut short so a huge parameter cannot make a huge response.
    static func quoted(_ text: some StringProtocol) -> String {
        text.count > 24 ? "\"\(text.prefix(24))…\"" : "\"\(text)\""
    }

    /// A comma-separated list of currency codes, duplicates dropped, order kept.
    /// At most this many codes in a list: the ECB quotes some 40 currencies, and every listed code costs work
    /// on every date of a history.
    static let maximumListedCurrencies = 64

    /// Comma-separated codes, repeats dropped; read in one pass, and refused past `maximumListedCurrencies`
    /// before any code is parsed.
    static let currencyList: Parse<[CurrencyCode]> = { text in
        let items = text.split(separator: ",", maxSplits: maximumListedCurrencies, omittingEmptySubsequences: false)
        guard items.count <= maximumListedCurrencies else {
            return .failure(.init(detail: "must list at most \(maximumListedCurrencies) currency codes"))
        }
        var codes: [CurrencyCode] = []
        var seen: Set<CurrencyCode> = []
        for item in items {
            guard let code = CurrencyCode(parsing: item) else {
                return .failure(.init(detail: "must be comma-separated three-letter currency codes such as USD,JPY; \(quoted(item)) is not one"))
            }
            if seen.insert(code).inserted { codes.append(code) }
        }
        return .success(codes)
    }

    /// Currencies that have stored rates: a list without EUR, the base every rate is stored against.
    static let quoteList: Parse<[CurrencyCode]> = { text in
        currencyList(text).flatMap { codes in
            codes.contains(.eur)
                ? .failure(.init(detail: "must not list EUR: every rate is stored against the euro, so it has none"))
                : .success(codes)
        }
    }
}
