@testable import FXServer
import Testing

@Suite("FX_REQUIRE_API_KEY")
struct RequireAPIKeySettingTests {
    @Test func defaultsToAnonymousAccess() throws {
        #expect(try Settings(environment: [:]).requireAPIKey == false)
    }

    @Test(arguments: [("true", true), ("1", true), ("TRUE", true), ("false", false), ("0", false), ("False", false)])
    func acceptsBooleans(text: String, expected: Bool) throws {
        #expect(try Settings(environment: ["FX_REQUIRE_API_KEY": text]).requireAPIKey == expected)
    }

    @Test(arguments: ["yes", "on", "2", "truee"])
    func rejectsAnythingElse(text: String) {
        #expect(throws: SettingsError(variable: "FX_REQUIRE_API_KEY", value: text, expected: "true, false, 1 or 0")) {
            try Settings(environment: ["FX_REQUIRE_API_KEY": text])
        }
    }
}
