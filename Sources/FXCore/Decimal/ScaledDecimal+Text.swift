extension ScaledDecimal {
    /// Writes the plain notation of this value at the start of `buffer`, which must hold
    /// `maximumTextLength` bytes, and returns how many bytes it wrote.
    ///
    /// The JSON writers call this once per rate, so it writes bytes instead of building a `String`.
    @discardableResult
    public func write(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let small = UInt64(exactly: significand) else { return writeWide(into: buffer) }
        return Self.write(significand: small, exponent: exponent, into: buffer)
    }

    /// `write(into:)` for a value whose significand fits 64 bits, as every stored rate's and every shown
    /// one's does: the digits go straight to their places, the integer part and the fraction apart, with
    /// no scratch copy.
    static func write(significand small: UInt64, exponent: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = digitCount(small)
        if exponent >= 0 {
            Self.writeDigits(of: small, count: count, into: buffer, at: 0)
            for index in count..<count + exponent { buffer[index] = UInt8(ascii: "0") }
            return count + exponent
        }
        let fractionDigits = -exponent
        if fractionDigits < count {
            // Right to left: the fraction's digits two at a time, the point, then the integer part. Dividing
            // by a constant 100 is a multiplication; splitting at 10^fractionDigits would be two divisions.
            var rest = small
            var index = count &+ 1
            var fraction = fractionDigits
            while fraction >= 2 {
                let pair = UInt8(truncatingIfNeeded: rest % 100)
                rest /= 100
                index &-= 2
                buffer[index] = UInt8(ascii: "0") &+ pair / 10
                buffer[index &+ 1] = UInt8(ascii: "0") &+ pair % 10
                fraction &-= 2
            }
            if fraction == 1 {
                index &-= 1
                buffer[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
            buffer[index &- 1] = UInt8(ascii: ".")
            Self.writeDigits(of: rest, count: count &- fractionDigits, into: buffer, at: 0)
            return count &+ 1
        }
        buffer[0] = UInt8(ascii: "0")
        buffer[1] = UInt8(ascii: ".")
        let zeros = fractionDigits - count
        for index in 2..<2 + zeros { buffer[index] = UInt8(ascii: "0") }
        Self.writeDigits(of: small, count: count, into: buffer, at: 2 + zeros)
        return 2 + zeros + count
    }

    /// How many decimal digits `value` has (1 for zero): its bit length times log₁₀ 2, then one comparison,
    /// where counting up through the powers of ten took one multiplication per digit.
    private static func digitCount(_ value: UInt64) -> Int {
        let estimate = ((64 &- value.leadingZeroBitCount) &* 1233) >> 12
        return max(1, estimate &+ (value >= powerOfTen(estimate) ? 1 : 0))
    }

    /// 10^exponent for 0...19, as a switch over literals: the compiler makes it a table in the binary, where
    /// a static array would be checked for initialization on every call.
    private static func powerOfTen(_ exponent: Int) -> UInt64 {
        switch exponent {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        case 8: 100_000_000
        case 9: 1_000_000_000
        case 10: 10_000_000_000
        case 11: 100_000_000_000
        case 12: 1_000_000_000_000
        case 13: 10_000_000_000_000
        case 14: 100_000_000_000_000
        case 15: 1_000_000_000_000_000
        case 16: 10_000_000_000_000_000
        case 17: 100_000_000_000_000_000
        case 18: 1_000_000_000_000_000_000
        default: 10_000_000_000_000_000_000
        }
    }

    /// The last `count` decimal digits of `value`, zero-padded, at `start`; two digits per division.
    /// No lookup table: a static table costs a `swift_once` check on every access.
    private static func writeDigits(of value: UInt64, count: Int, into buffer: UnsafeMutableRawBufferPointer,
                                    at start: Int) {
        var value = value
        var index = start &+ count
        while index &- start >= 2 {
            let pair = UInt8(truncatingIfNeeded: value % 100)
            value /= 100
            index &-= 2
            buffer[index] = UInt8(ascii: "0") &+ pair / 10
            buffer[index &+ 1] = UInt8(ascii: "0") &+ pair % 10
        }
        if index > start { buffer[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10) }
    }

    /// `write(into:)` for significands wider than 64 bits (admin writes of up to 36 digits).
    private func writeWide(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        Self.withDigits(of: significand) { digits in
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

    /// Hands `body` the decimal digits of `value`, most significant first, in scratch space on the stack:
    /// the writers of wide values lay them out around a point without a heap buffer.
    static func withDigits<Result>(of value: UInt128, _ body: (UnsafeMutableRawBufferPointer) -> Result) -> Result {
        var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &scratch) { scratch in
            // Last digit first, at the end of the scratch space; in 64 bits when they fit, where dividing by
            // 10 is a multiplication and not a call.
            var start = scratch.count
            func digits<Integer: FixedWidthInteger & UnsignedInteger>(of value: Integer) {
                var value = value
                repeat {
                    start -= 1
                    scratch[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
                    value /= 10
                } while value != 0
            }
            if let small = UInt64(exactly: value) { digits(of: small) } else { digits(of: value) }
            return body(UnsafeMutableRawBufferPointer(rebasing: scratch[start...]))
        }
    }
}
