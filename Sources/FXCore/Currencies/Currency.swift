/// A currency as ISO 4217 describes it: its code, its name and how many minor units it has.
public struct Currency: Hashable, Sendable {
    public let code: CurrencyCode
    public let name: String
    /// Fraction digits of the smallest unit: 2 for USD, 0 for JPY, 3 for BHD.
    public let minorUnits: Int

    public init(code: CurrencyCode, name: String, minorUnits: Int) {
        self.code = code
        self.name = name
        self.minorUnits = minorUnits
    }
}
