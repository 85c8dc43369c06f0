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
        let digits = significand.magnitude
        let length = Self.powersOfTen.partitioningIndex { digits < $0 }
        return length + exponent
    }

    /// 10^0 … 10^38: a significand has at most 38 digits, so its length is where it falls among these.
    private static let powersOfTen: [Decimal] = (0...38).map { Decimal(sign: .plus, exponent: $0, significand: 1) }
}

extension RandomAccessCollection {
    /// The first index whose element satisfies `predicate`, which must be false and then true along the collection.
    func partitioningIndex(where predicate: (Element) -> Bool) -> Index {
        var low = startIndex
        var count = distance(from: startIndex, to: endIndex)
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if predicate(self[middle]) {
                count = half
            } else {
                low = index(after: middle)
                count -= half + 1
            }
        }
        return low
    }
}
