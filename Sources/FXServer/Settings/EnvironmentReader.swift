/// Reads one environment variable at a time, falling back to a default when it is unset or empty.
struct EnvironmentReader {
    private let environment: [String: String]

    init(_ environment: [String: String]) {
        self.environment = environment
    }

    func value<Value>(
        _ variable: String, expected: String, default defaultValue: Value, parse: (String) -> Value?
    ) throws(SettingsError) -> Value {
        guard let text = environment[variable], !text.isEmpty else { return defaultValue }
        guard let value = parse(text) else {
            throw SettingsError(variable: variable, value: text, expected: expected)
        }
        return value
    }
}
