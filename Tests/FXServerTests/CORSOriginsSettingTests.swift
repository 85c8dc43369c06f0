@testable import FXServer
import Testing

@Suite("FX_CORS_ORIGINS")
struct CORSOriginsSettingTests {
    @Test(arguments: ["https://app.example.com", "http://localhost:3000", "*", " https://a.example , https://b.example:8443 "])
    func settingAcceptsOrigins(text: String) throws {
        #expect(try Settings(environment: ["FX_CORS_ORIGINS": text]).corsOrigins.isEnabled)
    }

    @Test(arguments: ["https://app.example.com/", "https://App.example.com", "ftp://a.example", "https://a.example:0",
                      "https://a.example:080", "https://*.example.com", "*,https://a.example", "https://", "null",
                      "https://a.example/path", "https://user@a.example", ","])
    func settingRejectsWhatIsNotAnOrigin(text: String) {
        #expect(throws: SettingsError.self) { try Settings(environment: ["FX_CORS_ORIGINS": text]) }
    }

    @Test func settingIsOffByDefault() throws {
        #expect(try Settings(environment: [:]).corsOrigins == .none)
        #expect(try Settings(environment: ["FX_CORS_ORIGINS": ""]).corsOrigins == .none)
    }
}
