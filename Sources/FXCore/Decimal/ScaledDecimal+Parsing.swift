extension ScaledDecimal {
    /// Reads `[0-9]+(\.[0-9]+)?` with at most `maximumDigitsPerSide` digits on each side of the point;
    /// nil for anything else, for zero, and for values that do not fit.
    ///
    /// With 18 digits per side this is `StrictDecimal`'s grammar, read without allocating: the history
    /// parsers use it for every value and ask `StrictDecimal` only to explain a value it rejects.
    public init?(plainText bytes: UnsafeRawBufferPointer, maximumDigitsPerSide: Int = 18) {
        var significand: UInt128 = 0
        var significantDigits = 0
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
            guard significand != 0 || digit != 0 else { continue }
            significantDigits += 1
            guard significantDigits <= 38 else { return nil }
            significand = significand * 10 + UInt128(digit)
        }
        guard integerDigits > 0, !sawPoint || fractionDigits > 0,
              integerDigits <= maximumDigitsPerSide, fractionDigits <= maximumDigitsPerSide
        else { return nil }
        self.init(significand: significand, exponent: -fractionDigits)
    }

    public init?(plainText bytes: [UInt8], maximumDigitsPerSide: Int = 18) {
        guard let value = bytes.withUnsafeBytes({ ScaledDecimal(plainText: $0, maximumDigitsPerSide: maximumDigitsPerSide) })
        else { return nil }
        self = value
    }
}
