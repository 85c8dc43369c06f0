import Foundation
import Testing

@testable import FXCore

@Suite("Rounding happens once, in the mode asked for")
struct RoundingTests {
    private func decimal(_ text: String) -> Decimal { Decimal(string: text)! }

    @Test(arguments: [
        // value, scale, half_even, half_up, down, up
        ("2.5", 0, "2", "3", "2", "3"),
        ("3.5", 0, "4", "4", "3", "4"),
        ("2.45", 1, "2.4", "2.5", "2.4", "2.5"),
        ("2.451", 1, "2.5", "2.5", "2.4", "2.5"),
        ("1.005", 2, "1", "1.01", "1", "1.01"),
        ("0.0001", 2, "0", "0", "0", "0.01"),
        ("15725.0268528464", 0, "15725", "15725", "15725", "15726"),
        ("1.2345", 3, "1.234", "1.235", "1.234", "1.235"),
    ])
    func modes(value: String, scale: Int, halfEven: String, halfUp: String, down: String, up: String) {
        let x = decimal(value)
        #expect(x.rounded(scale: scale, .halfEven) == decimal(halfEven))
        #expect(x.rounded(scale: scale, .halfUp) == decimal(halfUp))
        #expect(x.rounded(scale: scale, .down) == decimal(down))
        #expect(x.rounded(scale: scale, .up) == decimal(up))
    }

    @Test(arguments: [
        ("157.25026852844611529", "157.2502685"),
        ("1.1172", "1.1172"),
        ("0.00000123456789012345", "0.00000123456789"),
        ("0.89509488005728607232", "0.8950948801"),
        ("372274", "372274"),
        ("12345678901.5", "12345678900"),
        ("0.1234567890500000", "0.1234567890"),
        ("0.1234567891500000", "0.1234567892"),
    ])
    func significantDigits(value: String, expected: String) {
        #expect(decimal(value).rounded(significantDigits: 10) == decimal(expected))
    }

    @Test(arguments: [("1.5", 2, "1.50"), ("15725", 0, "15725"), ("2", 3, "2.000"), ("0.001", 3, "0.001")])
    func fixedScaleText(value: String, scale: Int, text: String) {
        #expect(decimal(value).plainText(scale: scale) == text)
    }

    @Test func raw() {
        #expect(Rounding(rawValue: "half_even") == .halfEven)
        #expect(Rounding(rawValue: "half_up") == .halfUp)
        #expect(Rounding(rawValue: "HALF_EVEN") == nil)
    }
}
