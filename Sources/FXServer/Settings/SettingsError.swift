/// A setting from the environment that cannot be used, with the form it must take.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public let variable: String
    public let value: String
    public let expected: String

    public var description: String {
        "\(variable)=\"\(value)\" is invalid: expected \(expected)"
    }
}
