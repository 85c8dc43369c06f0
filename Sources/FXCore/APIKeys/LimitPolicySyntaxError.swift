/// A limits spec that is not `N/unit(;N/unit)*`.
public struct LimitPolicySyntaxError: Error, Equatable, CustomStringConvertible {
    public let spec: String
    public let reason: String

    public var description: String {
        "invalid limits \"\(spec)\": \(reason); expected N/unit(;N/unit)* with units second, minute, hour, day"
    }
}
