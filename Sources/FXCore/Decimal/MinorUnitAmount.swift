import Foundation

/// A converted amount, rounded to a currency's minor units and written with exactly that many fraction
/// digits ("15725", "2.80", "41.234").
///
/// Held as `significand × 10^exponent`, not normalized and possibly zero, so that the integer conversion
/// hands over its count of minor units as it is, and the `Decimal` fallback its significand and exponent.
public struct MinorUnitAmount: Hashable, Sendable, CustomStringConvertible {
    public let significand: UInt128
    public let exponent: Int
    /// Fraction digits of the text; the value has no more (except a `Decimal` whose exponent says so).
    public let minorUnits: Int

    /// 39 digits, a point, and up to 128 zeros (a `Decimal` exponent) after or before them.
    public static let maximumTextLength = 170

    /// `units` minor units: `units × 10^-minorUnits`.
    public init(units: UInt128, minorUnits: Int) {
        self.significand = units
        self.exponent = -minorUnits
        self.minorUnits = minorUnits
    }

    /// A `Decimal` already rounded to `minorUnits` fraction digits; nil for NaN, which no rate the stores
    /// accept (at most 18 digits on each side of the point) produces.
    public init?(rounded decimal: Decimal, minorUnits: Int) {
        guard !decimal.isNaN, minorUnits >= 0 else { return nil }
        var significand: UInt128 = 0
        for byte in decimal.significand.magnitude.description.utf8 {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflowShift) = significand.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = shifted.addingReportingOverflow(UInt128(digit))
            guard !overflowShift, !overflowSum else { return nil }
            significand = sum
        }
        var exponent = decimal.exponent
        // `Decimal.description` drops trailing zeros, and the text pads only up to `minorUnits`.
        while exponent < -minorUnits, significand != 0, significand % 10 == 0 {
            significand /= 10
            exponent += 1
        }
        self.significand = significand
        self.exponent = significand == 0 ? -minorUnits : exponent
        self.minorUnits = minorUnits
    }

    public var description: String {
        String(unsafeUninitializedCapacity: Self.maximumTextLength) { buffer in
            write(into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// Writes the text at the start of `buffer`, which must hold `maximumTextLength` bytes, and returns how
    /// many bytes it wrote: what the old `Decimal` text at `minorUnits` fraction digits gave, without a `String`.
    @discardableResult
    public func write(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        ScaledDecimal.withDigits(of: significand) { digits in
            let count = digits.count
            var length = 0
            func append(_ byte: UInt8, times: Int = 1) {
                for _ in 0..<max(0, times) {
                    buffer[length] = byte
                    length += 1
                }
            }
            func appendDigits(_ range: Range<Int>) {
                for index in range { append(digits[index]) }
            }
            let fractionDigits = max(minorUnits, -exponent)
            if exponent >= 0 {
                appendDigits(0..<count)
                append(UInt8(ascii: "0"), times: significand == 0 ? 0 : exponent)
                if fractionDigits > 0 {
                    append(UInt8(ascii: "."))
                    append(UInt8(ascii: "0"), times: fractionDigits)
                }
                return length
            }
            let written = -exponent  // fraction digits that come from the significand
            if written < count {
                appendDigits(0..<count - written)
                append(UInt8(ascii: "."))
                appendDigits(count - written..<count)
            } else {
                append(UInt8(ascii: "0"))
                append(UInt8(ascii: "."))
                append(UInt8(ascii: "0"), times: written - count)
                appendDigits(0..<count)
            }
            append(UInt8(ascii: "0"), times: fractionDigits - written)
            return length
        }
    }
}
