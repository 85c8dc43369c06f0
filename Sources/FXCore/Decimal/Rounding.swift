import Foundation

/// How a result is brought to a currency's minor units. All values here are positive,
/// so `down` is toward zero and `up` is away from zero.
public enum Rounding: String, CaseIterable, Sendable {
    case halfEven = "half_even"
    case halfUp = "half_up"
    case down
    case up

    public static let `default` = Rounding.halfEven

    var foundationMode: NSDecimalNumber.RoundingMode {
        switch self {
        case .halfEven: .bankers
        case .halfUp: .plain
        case .down: .down
        case .up: .up
        }
    }
}

extension Decimal {
    /// This value rounded to `scale` fraction digits.
    public func rounded(scale: Int, _ rounding: Rounding) -> Decimal {
        var input = self
        var output = Decimal()
        NSDecimalRound(&output, &input, scale, rounding.foundationMode)
        return output
    }

    /// This value rounded half-even to `digits` significant digits.
    public func rounded(significantDigits digits: Int) -> Decimal {
        guard self != 0 else { return self }
        return rounded(scale: digits - integerDigitCount, .halfEven)
    }

    /// How many digits stand before the decimal point; negative for values below 0.1 (0.001 has -2).
    var integerDigitCount: Int {
        let magnitude = self < 0 ? -self : self
        var count = 0
        var power = Decimal(1)
        if magnitude >= 1 {
            while magnitude >= power {
                power *= 10
                count += 1
            }
        } else {
            while magnitude < power {
                power /= 10
                count -= 1
            }
            count += 1
        }
        return count
    }
}
