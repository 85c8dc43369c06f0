extension ScaledDecimal {
    /// Writes the plain notation of this value at the start of `buffer`, which must hold
    /// `maximumTextLength` bytes, and returns how many bytes it wrote.
    ///
    /// The JSON writer and the CSV writer call this once per rate, so it writes bytes instead of building
    /// a `String`.
    @discardableResult
    public func write(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &digits) { scratch in
            // The digits, last first, at the end of the scratch space; in 64 bits when they fit, where
            // dividing by 10 is a multiplication and not a call.
            var start = scratch.count
            func digits<Integer: FixedWidthInteger & UnsignedInteger>(of value: Integer) {
                var value = value
                repeat {
                    start -= 1
                    scratch[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10)
                    value /= 10
                } while value != 0
            }
            if let small = UInt64(exactly: significand) { digits(of: small) } else { digits(of: significand) }
            let digits = UnsafeMutableRawBufferPointer(rebasing: scratch[start...])
            var length = 0
            func append(_ byte: UInt8) {
                buffer[length] = byte
                length += 1
            }
            func append(_ bytes: UnsafeMutableRawBufferPointer.SubSequence) {
                for byte in bytes { append(byte) }
            }
            if exponent >= 0 {
                append(digits[...])
                for _ in 0..<exponent { append(UInt8(ascii: "0")) }
            } else if -exponent < digits.count {
                let point = digits.count + exponent
                append(digits[..<point])
                append(UInt8(ascii: "."))
                append(digits[point...])
            } else {
                append(UInt8(ascii: "0"))
                append(UInt8(ascii: "."))
                for _ in 0..<(-exponent - digits.count) { append(UInt8(ascii: "0")) }
                append(digits[...])
            }
            return length
        }
    }
}
