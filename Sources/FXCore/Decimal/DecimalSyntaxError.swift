/// Why a text is not a decimal under fxrates' strict grammar `^[0-9]{1,18}(\.[0-9]{1,18})?$`.
public enum DecimalSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case sign
    case whitespace
    case exponent
    case notANumber
    case grouping
    case tooManyIntegerDigits
    case tooManyFractionDigits
    case missingDigits
    case invalidCharacter(Character)
    case zero

    public var description: String {
        switch self {
        case .empty: "must not be empty"
        case .sign: "must not have a sign"
        case .whitespace: "must not contain whitespace"
        case .exponent: "must not use exponent notation"
        case .notANumber: "must be a plain decimal number (no NaN, Infinity or hex)"
        case .grouping: "must not contain digit grouping (commas)"
        case .tooManyIntegerDigits: "must have at most 18 digits before the decimal point"
        case .tooManyFractionDigits: "must have at most 18 digits after the decimal point"
        case .missingDigits: "must have digits on both sides of the decimal point"
        case .invalidCharacter(let character): "contains the invalid character \(character.debugDescription)"
        case .zero: "must be greater than zero"
        }
    }
}
