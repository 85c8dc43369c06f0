/// Every currency fxrates knows: ISO 4217 list one, then the historic ones the ECB history still quotes.
public struct CurrencyRegistry: Sendable {
    private let byCode: [CurrencyCode: Currency]

    public init(_ currencies: [Currency]) {
        self.byCode = Dictionary(currencies.map { ($0.code, $0) }, uniquingKeysWith: { current, _ in current })
    }

    /// ISO 4217 list one wins where a code is in both lists (RUB is still current).
    public static let iso4217 = CurrencyRegistry(Currency.iso4217ListOne + Currency.iso4217Historic)

    public subscript(code: CurrencyCode) -> Currency? {
        byCode[code]
    }
}
