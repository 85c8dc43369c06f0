/// A setting from the environment that cannot be used, with the form it must take.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public let variable: String
    /// Nil for secrets, which are never echoed.
    public let value: String?
    public let expected: String

    public var description: String {
        guard let value else { return "\(variable) is invalid (value not shown): expected \(expected)" }
        return "\(variable)=\"\(value)\" is invalid: expected \(expected)"
    }
}
