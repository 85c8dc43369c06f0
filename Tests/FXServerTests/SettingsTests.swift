import FXServer
import Logging
import Testing

@Suite("Settings from the environment")
struct SettingsTests {
    @Test func defaults() throws {
        let settings = try Settings(environment: [:])
        #expect(settings.host == "127.0.0.1")
        #expect(settings.port == 8080)
        #expect(settings.logLevel == .info)
        #expect(settings.logFormat == .json)
    }

    @Test func readsEveryVariable() throws {
        let settings = try Settings(environment: [
            "FX_HOST": "0.0.0.0", "FX_PORT": "9000", "FX_LOG_LEVEL": "DEBUG", "FX_LOG_FORMAT": "text",
            "FX_DRAIN_SECONDS": "15",
        ])
        #expect(settings.host == "0.0.0.0")
        #expect(settings.port == 9000)
        #expect(settings.logLevel == .debug)
        #expect(settings.logFormat == .text)
        #expect(settings.drainSeconds == 15)
    }

    @Test(arguments: [
        ("FX_PORT", "http"), ("FX_PORT", "65536"), ("FX_PORT", "-1"), ("FX_LOG_LEVEL", "verbose"),
        ("FX_LOG_FORMAT", "yaml"), ("FX_HOST", "two words"), ("FX_DRAIN_SECONDS", "1h"),
    ])
    func badValueNamesTheVariableAndTheExpectedForm(variable: String, value: String) {
        let error = #expect(throws: SettingsError.self) { try Settings(environment: [variable: value]) }
        #expect(error?.variable == variable)
        #expect(error?.description.hasPrefix("\(variable)=\"\(value)\" is invalid: expected ") == true)
        #expect(error?.description.contains("\n") == false)
    }
}
