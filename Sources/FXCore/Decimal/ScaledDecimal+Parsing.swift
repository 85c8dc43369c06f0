extension ScaledDecimal {
    /// Reads `[0-9]+(\.[0-9]+)?` with at most `maximumDigitsPerSide` digits on each side of the point;
    /// nil for anything else, for zero, and for values that do not fit.
    ///
    /// With 18 digits per side this is `StrictDecimal`'s grammar, read without allocating: the history
    /// parsers use it for every value and ask `StrictDecimal` only to explain a value it rejects.
    public init?(plainText bytes: UnsafeRawBufferPointer, maximumDigitsPerSide: Int = 18) {
        // Up to 19 significant digits (every rate the ECB publishes) the significand is a UInt64, and the
        // trailing zeros to move into the exponent are counted on the way: no 128-bit multiply or division.
        var narrow: UInt64 = 0
        var wide: UInt128 = 0
        var significantDigits = 0
        var trailingZeros = 0
        var integerDigits = 0
        var fractionDigits = 0
        var sawPoint = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !sawPoint, integerDigits > 0 else { return nil }
                sawPoint = true
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            if sawPoint { fractionDigits += 1 } else { integerDigits += 1 }
            guard significantDigits > 0 || digit != 0 else { continue }
            significantDigits += 1
            trailingZeros = digit == 0 ? trailingZeros + 1 : 0
            if significantDigits <= 19 {
                narrow = narrow &* 10 &+ UInt64(digit)
            } else {
                guard significantDigits <= 38 else { return nil }
                if significantDigits == 20 { wide = UInt128(narrow) }
                wide = wide &* 10 &+ UInt128(digit)
            }
        }
        guard integerDigits > 0, !sawPoint || fractionDigits > 0,
              integerDigits <= maximumDigitsPerSide, fractionDigits <= maximumDigitsPerSide, significantDigits > 0
        else { return nil }
        guard significantDigits <= 19 else {
            self.init(significand: wide, exponent: -fractionDigits)
            return
        }
        let exponent = trailingZeros - fractionDigits
        guard Self.exponentRange.contains(exponent) else { return nil }
        for _ in 0..<trailingZeros { narrow /= 10 }
        self.init(normalized: UInt128(narrow), exponent: exponent)
    }

    public init?(plainText bytes: [UInt8], maximumDigitsPerSide: Int = 18) {
        guard let value = bytes.withUnsafeBytes({ ScaledDecimal(plainText: $0, maximumDigitsPerSide: maximumDigitsPerSide) })
        else { return nil }
        self = value
    }
}
