/// The request limits of one API key, written `N/unit(;N/unit)*` with units second, minute, hour and day,
/// e.g. `600/minute;100000/day`. Every limit applies at once. Each unit appears at most once, so a policy has
/// at most four windows, from a second to a day.
public struct LimitPolicy: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable, CaseIterable {
        case second, minute, hour, day

        public var seconds: Int {
            switch self {
            case .second: 1
            case .minute: 60
            case .hour: 3600
            case .day: 86_400
            }
        }
    }

    /// At most `count` requests per `unit`.
    public struct Limit: Sendable, Hashable {
        public let count: Int
        public let unit: Unit

        public init(count: Int, unit: Unit) {
            self.count = count
            self.unit = unit
        }
    }

    public let limits: [Limit]

    /// The counts a limit may have. A billion per second is past anything one replica serves, and bounds
    /// every product the limiters form (count × milliseconds of a day) far inside 64 bits.
    public static let counts = 1...1_000_000_000

    /// Parses the spec syntax; every count is a positive decimal integer and each unit appears at most once.
    public init(parsing spec: String) throws(LimitPolicySyntaxError) {
        var limits: [Limit] = []
        for part in spec.split(separator: ";", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count == 2 else { throw .init(spec: spec, reason: "\"\(part)\" is not N/unit") }
            let digits = pieces[0]
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw .init(spec: spec, reason: "\"\(digits)\" is not a positive integer")
            }
            guard digits.count <= 10, let count = Int(digits), Self.counts.contains(count) else {
                throw .init(spec: spec, reason: "\"\(digits)\" is outside 1 to \(Self.counts.upperBound)")
            }
            guard let unit = Unit(rawValue: String(pieces[1])) else {
                throw .init(spec: spec, reason: "\"\(pieces[1])\" is not one of second, minute, hour, day")
            }
            guard !limits.contains(where: { $0.unit == unit }) else {
                throw .init(spec: spec, reason: "\(unit.rawValue) appears more than once")
            }
            limits.append(Limit(count: count, unit: unit))
        }
        self.limits = limits
    }

    /// The spec form, which parses back to an equal policy.
    public var description: String {
        limits.map { "\($0.count)/\($0.unit.rawValue)" }.joined(separator: ";")
    }
}
