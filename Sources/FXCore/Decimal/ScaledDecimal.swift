import Foundation

/// A positive decimal held exactly as `significand × 10^exponent`, with the trailing zeros of the
/// significand moved into the exponent.
///
/// Foundation's `Decimal` normalizes the same way ("1.5000" is 15 × 10^-1), so a value's text here is the
/// `description` of the `Decimal` that fxrates parsed before; keeping one form per value also makes
/// equality structural. Integers instead of `Decimal` make a whole history a few megabytes and let rates
/// be computed and written without allocating.
public struct ScaledDecimal: Hashable, Sendable, CustomStringConvertible {
    /// Never zero and never a multiple of 10.
    public let significand: UInt128
    public let exponent: Int

    /// Exponents outside this range do not come from any decimal fxrates accepts (at most 18 digits on each
    /// side of the point) or from a rate between two of them; bounding them bounds the text of a value.
    public static let exponentRange = -100...100
    /// The longest text of any value: 39 digits, a point, and up to 100 zeros after it or before it.
    public static let maximumTextLength = 141

    public static let one = ScaledDecimal(normalized: 1, exponent: 0)

    /// nil for zero and for exponents outside `exponentRange`.
    public init?(significand: UInt128, exponent: Int) {
        guard significand != 0 else { return nil }
        var significand = significand
        var exponent = exponent
        while significand % 10 == 0 {
            significand /= 10
            exponent += 1
        }
        guard Self.exponentRange.contains(exponent) else { return nil }
        self.init(normalized: significand, exponent: exponent)
    }

    /// The value of a parsed decimal; nil when it does not fit (it always does under the strict grammar).
    public init?(_ decimal: StrictDecimal) {
        self.init(significand: decimal.significand, exponent: decimal.exponent)
    }

    init(normalized significand: UInt128, exponent: Int) {
        self.significand = significand
        self.exponent = exponent
    }

    /// How many digits the significand has.
    var digitCount: Int {
        PowersOfTen.digitCount(significand)
    }

    /// The same value as a `Decimal`, built the way `StrictDecimal` builds its value, so that arithmetic on
    /// it gives what it gave before.
    public var decimal: Decimal {
        let low = Decimal(UInt64(truncatingIfNeeded: significand))
        let high = UInt64(truncatingIfNeeded: significand >> 64)
        let whole = high == 0 ? low : Decimal(high) * (Decimal(UInt64.max) + 1) + low
        return Decimal(sign: .plus, exponent: exponent, significand: whole)
    }

    /// Plain notation, as `Decimal.description` writes the same value ("1.1172", "136", "0.005", "12000").
    public var description: String {
        String(unsafeUninitializedCapacity: Self.maximumTextLength) { buffer in
            write(into: UnsafeMutableRawBufferPointer(buffer))
        }
    }
}
