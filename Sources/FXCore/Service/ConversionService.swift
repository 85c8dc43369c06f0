import Foundation

/// Converts amounts and quotes rates from whatever `RateStore` it is given.
///
/// Every cross rate goes through the euro pivot, exactly. A conversion rounds once, to the target
/// currency's ISO 4217 minor units; rates are shown with 10 significant digits.
public struct ConversionService: Sendable {
    /// How far before a requested date an observation may be and still answer for it.
    public static let lookbackDays = 14
    /// Significant digits of every rate the service shows.
    public static let rateSignificantDigits = 10

    private let store: any RateStore
    private let currencies: CurrencyRegistry

    public init(store: any RateStore, currencies: CurrencyRegistry = .iso4217) {
        self.store = store
        self.currencies = currencies
    }

    public func convert(_ request: ConversionRequest) async throws -> Conversion {
        let pair = [request.from, request.to]
        guard let target = currencies[request.to],
              let table = try await observation(onOrBefore: request.date, quoting: pair),
              let fromRate = table.perEuro(request.from), let toRate = table.perEuro(request.to),
              let rate = table.rate(from: request.from, to: request.to, significantDigits: Self.rateSignificantDigits),
              let result = MinorUnitAmount(converting: request.amount, to: toRate, from: fromRate,
                                           minorUnits: target.minorUnits, rounding: request.rounding)
                ?? Self.decimalResult(request.amount, to: toRate, from: fromRate,
                                      minorUnits: target.minorUnits, rounding: request.rounding)
        else {
            throw ExchangeRateError.rateNotFound(currencies: pair, onOrBefore: request.date)
        }
        return Conversion(
            from: request.from, to: request.to, amount: request.amount, rate: rate, result: result,
            minorUnits: target.minorUnits, date: table.date)
    }

    /// The conversion as it was computed before integers, in `Decimal`: kept for amounts whose integer
    /// product would overflow 128 bits, and as the reference the integer conversion is tested against.
    /// nil only for a NaN, which no rate the stores accept produces.
    static func decimalResult(_ amount: StrictDecimal, to toRate: ScaledDecimal, from fromRate: ScaledDecimal,
                              minorUnits: Int, rounding: Rounding) -> MinorUnitAmount? {
        let exact = amount.value * toRate.decimal / fromRate.decimal
        return MinorUnitAmount(rounded: exact.rounded(scale: minorUnits, rounding), minorUnits: minorUnits)
    }

    /// Rates of `base` against `symbols` (every quoted currency but the base when empty) on the latest
    /// observation on or before `day` that quotes the base.
    public func rates(base: CurrencyCode, symbols: [CurrencyCode], on day: Day?) async throws -> RateSheet {
        guard let table = try await observation(onOrBefore: day, quoting: [base]),
              let listing = RateListing(base: base, symbols: symbols, grid: table.grid)
        else {
            throw ExchangeRateError.rateNotFound(currencies: [base], onOrBefore: day)
        }
        let unquoted = symbols.filter { !table.quotes($0) }
        guard unquoted.isEmpty else {
            throw ExchangeRateError.notQuoted(currencies: unquoted, on: table.date)
        }
        return RateSheet(base: base, table: table, listing: listing)
    }

    /// Rates of `base` on every observation date from `start` through `end`. A date appears when it
    /// quotes the base. A range without observations (a weekend) is empty, but a currency that none of
    /// the range's observations quotes is an error.
    public func history(base: CurrencyCode, symbols: [CurrencyCode], from start: Day, through end: Day)
        async throws -> RateSeries
    {
        let observed = try await store.observations(from: start, through: end)
        let tables = observed.filter { $0.quotes(base) }
        let missing = ([base] + symbols).filter { code in !tables.contains { $0.quotes(code) } }
        guard missing.isEmpty || observed.isEmpty else {
            throw ExchangeRateError.rateNotFound(currencies: missing, onOrBefore: end)
        }
        // The tables of one range come from one history; a listing is made again only if they do not.
        var listing: RateListing?
        var sheets: [RateSheet] = []
        sheets.reserveCapacity(tables.count)
        for table in tables {
            if listing?.grid !== table.grid { listing = RateListing(base: base, symbols: symbols, grid: table.grid) }
            if let listing { sheets.append(RateSheet(base: base, table: table, listing: listing)) }
        }
        return RateSeries(base: base, start: start, end: end, sheets: sheets)
    }

    /// Every currency that has rates, in code order.
    public func listings() async throws -> [CurrencyListing] {
        try await store.coverage()
            .compactMap { code, dates in
                currencies[code].map { CurrencyListing(currency: $0, firstDate: dates.lowerBound, lastDate: dates.upperBound) }
            }
            .sorted { $0.currency.code < $1.currency.code }
    }

    private func observation(onOrBefore day: Day?, quoting required: [CurrencyCode]) async throws -> RateTable? {
        let earliest = day?.adding(days: -Self.lookbackDays)
        return try await store.observation(onOrBefore: day, notBefore: earliest, quoting: required)
    }
}
