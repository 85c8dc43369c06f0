import Foundation

/// A positive decimal parsed under the strict grammar `^[0-9]{1,18}(\.[0-9]{1,18})?$`, with its scale kept.
///
/// `Decimal(string:)` accepts prefixes ("1abc" is 1) and exponents, and `Double` cannot hold 0.1,
/// so the text is validated byte by byte and the value is built from its digits.
public struct StrictDecimal: Hashable, Sendable, CustomStringConvertible {
    public let value: Decimal
    /// The canonical text: leading zeros of the integer part dropped, the fraction kept as written.
    public let text: String
    /// The value is `significand × 10^exponent`, with the fraction's digits as written (not normalized).
    public let significand: UInt128
    public let exponent: Int

    public var description: String { text }

    public init(parsing input: some StringProtocol) throws(DecimalSyntaxError) {
        let bytes = Array(input.utf8)
        if !bytes.allSatisfy(Self.isDigitOrPoint) { try Self.diagnose(bytes) }
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count(where: { $0 == UInt8(ascii: ".") }) <= 1 else { throw .invalidCharacter(".") }
        let point = bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.endIndex
        let integerDigits = bytes[..<point]
        let fractionDigits = point < bytes.endIndex ? bytes[(point + 1)...] : []
        guard !integerDigits.isEmpty, point == bytes.endIndex || !fractionDigits.isEmpty else {
            throw .missingDigits
        }
        guard integerDigits.count <= 18 else { throw .tooManyIntegerDigits }
        guard fractionDigits.count <= 18 else { throw .tooManyFractionDigits }

        let integer = Self.number(integerDigits)
        let fraction = Self.number(fractionDigits)
        guard integer != 0 || fraction != 0 else { throw .zero }

        self.value = Decimal(integer)
            + Decimal(sign: .plus, exponent: -fractionDigits.count, significand: Decimal(fraction))
        self.significand = UInt128(integer) * PowersOfTen.table[fractionDigits.count] + UInt128(fraction)
        self.exponent = -fractionDigits.count
        let integerText = String(integer)
        self.text = fractionDigits.isEmpty
            ? integerText
            : integerText + "." + String(decoding: fractionDigits, as: UTF8.self)
    }

    private static func isDigitOrPoint(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
    }

    /// Names the first way the text breaks the grammar, so a client learns what to fix.
    private static func diagnose(_ bytes: [UInt8]) throws(DecimalSyntaxError) {
        let text = String(decoding: bytes, as: UTF8.self)
        let lowered = text.lowercased()
        if lowered.contains("nan") || lowered.contains("inf") || lowered.hasPrefix("0x") { throw .notANumber }
        for character in text {
            switch character {
            case "0"..."9", ".": continue
            case "+", "-": throw .sign
            case "e", "E": throw .exponent
            case ",", "_", "'": throw .grouping
            case _ where character.isWhitespace: throw .whitespace
            default: throw .invalidCharacter(character)
            }
        }
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> UInt64 {
        digits.reduce(0) { $0 * 10 + UInt64($1 - UInt8(ascii: "0")) }
    }
}
