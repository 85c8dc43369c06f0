import Foundation

extension ScaledDecimal {
    /// `self / divisor` rounded half-even to `digits` significant digits, exactly as Foundation's `Decimal`
    /// divides and then rounds; nil only when the result leaves `exponentRange`, which no two rates with at
    /// most 18 digits on each side of the point do.
    ///
    /// With 64-bit significands the quotient is formed in integers. `Decimal` keeps 38 digits of the
    /// quotient before rounding to `digits`; that first rounding cannot make or break a tie, because a
    /// quotient by a divisor of at most 19 digits is either an exact tie or at least 10^-19 away from one.
    /// Wider significands take `Decimal` itself, as before.
    public func divided(by divisor: ScaledDecimal, significantDigits digits: Int) -> ScaledDecimal? {
        guard let dividend = UInt64(exactly: significand), let divisorSignificand = UInt64(exactly: divisor.significand),
              (1...18).contains(digits)
        else {
            let exact = (decimal / divisor.decimal).rounded(significantDigits: digits)
            return ScaledDecimal(plainText: Array(exact.description.utf8), maximumDigitsPerSide: 200)
        }
        let shiftedExponent = exponent - divisor.exponent
        if divisorSignificand == 1, dividend < PowersOfTen.table[digits], Self.exponentRange.contains(shiftedExponent) {
            // Base EUR: the stored rate itself, unless it has more digits than are shown. Both are normalized
            // and the divisor is a power of ten, so the quotient needs no normalizing.
            return ScaledDecimal(normalized: UInt128(dividend), exponent: shiftedExponent)
        }
        // Scale so that the integer quotient has `digits` digits; it has one more when the dividend's leading
        // digits exceed the divisor's, and then the divisor takes one more factor of 10.
        var shift = digits + PowersOfTen.digitCount(UInt128(divisorSignificand))
            - PowersOfTen.digitCount(UInt128(dividend))
        var (quotient, remainder, denominator) = Self.scaledQuotient(dividend, divisorSignificand, shift: shift)
        if quotient >= PowersOfTen.table[digits] {
            shift -= 1
            (quotient, remainder, denominator) = Self.scaledQuotient(dividend, divisorSignificand, shift: shift)
        }
        let rest = denominator - remainder
        if remainder > rest || (remainder == rest && quotient % 2 == 1) { quotient += 1 }
        return ScaledDecimal(significand: quotient, exponent: exponent - divisor.exponent - shift)
    }

    /// `a × 10^shift / b` in integers; `shift` is from -20 to 37, so the scaled operands fit 128 bits.
    private static func scaledQuotient(_ a: UInt64, _ b: UInt64, shift: Int)
        -> (quotient: UInt128, remainder: UInt128, denominator: UInt128)
    {
        let scale = PowersOfTen.table[abs(shift)]
        let numerator = shift >= 0 ? UInt128(a) * scale : UInt128(a)
        let denominator = shift >= 0 ? UInt128(b) : UInt128(b) * scale
        if let n = UInt64(exactly: numerator), let d = UInt64(exactly: denominator) {
            // Hardware division: the common case, where both rates have few digits.
            let (q, r) = n.quotientAndRemainder(dividingBy: d)
            return (UInt128(q), UInt128(r), denominator)
        }
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        return (q, r, denominator)
    }
}
