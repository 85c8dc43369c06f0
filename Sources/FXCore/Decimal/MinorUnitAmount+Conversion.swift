extension MinorUnitAmount {
    /// `amount × toRate / fromRate` rounded once to `minorUnits` fraction digits, in integers; nil when an
    /// intermediate does not fit 128 bits (amounts of up to 36 digits times a rate can exceed it), and the
    /// caller then computes it in `Decimal`.
    ///
    /// The value in minor units is `a × t × 10^p / f` with `p = e_a + e_t − e_f + minorUnits`, or
    /// `a × t / (f × 10^−p)` when `p` is negative, so one integer division and its remainder decide the
    /// rounding exactly. `Decimal` gave the same whenever its own arithmetic was exact: its product is,
    /// here, because the product fits 128 bits, as its mantissa does.
    public init?(converting amount: StrictDecimal, to toRate: ScaledDecimal, from fromRate: ScaledDecimal,
                 minorUnits: Int, rounding: Rounding) {
        let power = amount.exponent + toRate.exponent - fromRate.exponent + minorUnits
        guard let scale = PowersOfTen.power(abs(power)) else { return nil }
        let (product, productOverflow) = amount.significand.multipliedReportingOverflow(by: toRate.significand)
        guard !productOverflow else { return nil }
        let (numerator, numeratorOverflow) = power >= 0 ? product.multipliedReportingOverflow(by: scale) : (product, false)
        let (denominator, denominatorOverflow) = power >= 0
            ? (fromRate.significand, false) : fromRate.significand.multipliedReportingOverflow(by: scale)
        guard !numeratorOverflow, !denominatorOverflow, denominator != 0 else { return nil }
        var quotient: UInt128
        let remainder: UInt128
        if let n = UInt64(exactly: numerator), let d = UInt64(exactly: denominator) {
            // Hardware division: the common case, an amount of a few digits and rates of a few more.
            let (q, r) = n.quotientAndRemainder(dividingBy: d)
            (quotient, remainder) = (UInt128(q), UInt128(r))
        } else {
            (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        }
        if remainder != 0 {
            let rest = denominator - remainder  // the distance to the next unit; comparing avoids doubling
            let awayFromZero = switch rounding {
            case .down: false
            case .up: true
            case .halfUp: remainder >= rest
            case .halfEven: remainder > rest || (remainder == rest && quotient % 2 == 1)
            }
            // A nonzero remainder means a divisor of at least 2, so the quotient is at most half the range.
            if awayFromZero { quotient += 1 }
        }
        self.init(units: quotient, minorUnits: minorUnits)
    }
}
