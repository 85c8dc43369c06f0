/// Reads one environment variable at a time, falling back to a default when it is unset or empty.
///
/// It remembers every variable it was asked for, so that `Settings.variables` is derived from the code
/// that reads them and the deploy manifests can be checked against it.
final class EnvironmentReader {
    private let environment: [String: String]
    private(set) var variables: [String] = []

    init(_ environment: [String: String]) {
        self.environment = environment
    }

    /// - Parameter secret: the value may hold a password or token, so an error does not echo it.
    func value<Value>(
        _ variable: String, expected: String, default defaultValue: Value, secret: Bool = false,
        parse: (String) -> Value?
    ) throws(SettingsError) -> Value {
        guard let text = text(of: variable) else { return defaultValue }
        guard let value = parse(text) else {
            throw SettingsError(variable: variable, value: secret ? nil : text, expected: expected)
        }
        return value
    }

    /// An integer setting within `bounds`.
    func integer(_ variable: String, in bounds: ClosedRange<Int>, default defaultValue: Int) throws(SettingsError) -> Int {
        try value(variable, expected: "an integer from \(bounds.lowerBound) to \(bounds.upperBound)",
                  default: defaultValue) { text in
            Int(text).flatMap { bounds.contains($0) ? $0 : nil }
        }
    }

    /// The text of an optional setting: nil when unset or empty, an error when `isValid` rejects it.
    func optionalText(
        _ variable: String, expected: String, secret: Bool = false, isValid: (String) -> Bool
    ) throws(SettingsError) -> String? {
        guard let text = text(of: variable) else { return nil }
        guard isValid(text) else { throw SettingsError(variable: variable, value: secret ? nil : text, expected: expected) }
        return text
    }

    private func text(of variable: String) -> String? {
        variables.append(variable)
        guard let text = environment[variable], !text.isEmpty else { return nil }
        return text
    }
}
