import Foundation
import Testing

@testable import FXCore

@Suite("Amounts follow the strict grammar ^[0-9]{1,18}(\\.[0-9]{1,18})?$")
struct StrictDecimalTests {
    @Test(arguments: [
        ("100.00", "100.00"), ("1", "1"), ("0.5", "0.5"), ("007.50", "7.50"),
        ("123456789012345678", "123456789012345678"),
        ("0.000000000000000001", "0.000000000000000001"),
        ("999999999999999999.999999999999999999", "999999999999999999.999999999999999999"),
    ])
    func acceptsAndKeepsScale(input: String, text: String) throws {
        let amount = try StrictDecimal(parsing: input)
        #expect(amount.text == text)
        #expect(amount.value == Decimal(string: input))
    }

    @Test(arguments: [
        ("", DecimalSyntaxError.empty),
        ("-1", .sign), ("+1", .sign), (" 1", .whitespace), ("1 ", .whitespace), ("1\t", .whitespace),
        ("1e5", .exponent), ("1E5", .exponent), ("NaN", .notANumber), ("nan", .notANumber),
        ("Infinity", .notANumber), ("inf", .notANumber), ("0x1A", .notANumber), ("1,000", .grouping),
        ("1_000", .grouping), ("1234567890123456789", .tooManyIntegerDigits),
        ("1.1234567890123456789", .tooManyFractionDigits), (".5", .missingDigits), ("5.", .missingDigits),
        ("0", .zero), ("0.000", .zero), ("000", .zero), ("1.2.3", .invalidCharacter(".")),
        ("1abc", .invalidCharacter("a")), ("١٢", .invalidCharacter("١")),
    ])
    func rejects(input: String, error: DecimalSyntaxError) {
        #expect(throws: error) { try StrictDecimal(parsing: input) }
    }

    @Test func valueIsBuiltFromDigitsNotFromBinaryFloatingPoint() throws {
        let tenth = try StrictDecimal(parsing: "0.1").value
        let fifth = try StrictDecimal(parsing: "0.2").value
        #expect(tenth + fifth == (try StrictDecimal(parsing: "0.3").value))
    }

    @Test func randomGrammarValidTextsRoundTrip() throws {
        var random = SeededRandom(seed: 7)
        for _ in 0..<2000 {
            let integer = random.digits(count: Int.random(in: 1...18, using: &random))
            let fraction = random.digits(count: Int.random(in: 0...18, using: &random))
            let text = fraction.isEmpty ? integer : integer + "." + fraction
            guard text.contains(where: { $0 != "0" && $0 != "." }) else { continue }
            let amount = try StrictDecimal(parsing: text)
            #expect(amount.value == Decimal(string: text), "\(text)")
        }
    }
}
