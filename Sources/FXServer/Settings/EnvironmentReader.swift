/// Reads one environment variable at a time, falling back to a default when it is unset or empty.
struct EnvironmentReader {
    private let environment: [String: String]

    init(_ environment: [String: String]) {
        self.environment = environment
    }

    /// - Parameter secret: the value may hold a password or token, so an error does not echo it.
    func value<Value>(
        _ variable: String, expected: String, default defaultValue: Value, secret: Bool = false,
        parse: (String) -> Value?
    ) throws(SettingsError) -> Value {
        guard let text = environment[variable], !text.isEmpty else { return defaultValue }
        guard let value = parse(text) else {
            throw SettingsError(variable: variable, value: secret ? nil : text, expected: expected)
        }
        return value
    }

    /// The text of an optional setting: nil when unset or empty, an error when `isValid` rejects it.
    func optionalText(
        _ variable: String, expected: String, secret: Bool = false, isValid: (String) -> Bool
    ) throws(SettingsError) -> String? {
        guard let text = environment[variable], !text.isEmpty else { return nil }
        guard isValid(text) else { throw SettingsError(variable: variable, value: secret ? nil : text, expected: expected) }
        return text
    }
}
