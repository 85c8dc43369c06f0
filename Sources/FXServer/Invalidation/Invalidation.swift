import FXCore

/// What one replica tells the others through Redis pub/sub so that they drop what they cached.
public enum Invalidation: Sendable, Equatable {
    /// Rates of one observation date were written or deleted.
    case rates(on: Day)
    /// Rates of many dates changed (an import).
    case allRates
    /// An API key was revoked.
    case apiKeys

    public static let channel = "fxrates:invalidate"

    public var message: String {
        switch self {
        case .rates(let day): "rates:\(day)"
        case .allRates: "rates:*"
        case .apiKeys: "keys"
        }
    }

    public init?(message: String) {
        switch message {
        case "rates:*": self = .allRates
        case "keys": self = .apiKeys
        case _ where message.hasPrefix("rates:"):
            guard let day = Day(parsing: message.dropFirst("rates:".count)) else { return nil }
            self = .rates(on: day)
        default: return nil
        }
    }
}
