import FXServer
import FXTestSupport
import Testing

/// `FX_ADMIN_TOKEN=old,new`: both work while the token is rotated, so no replica ever refuses both.
@Suite("Rotating the admin token", .enabled(if: TestDatabase.isConfigured))
struct AdminTokenRotationTests {
    @Test func eitherOfTwoTokensIsAccepted() async throws {
        try await withServedDatabase(["FX_ADMIN_TOKEN": "old-token-0123456789,new-token-9876543210"]) { http, _ in
            let body = #"{"base":"EUR","source":"ECB","rates":{"USD":"1.1234"}}"#
            for token in ["old-token-0123456789", "new-token-9876543210"] {
                let status = try await http.putRates("2026-11-27", body, token: token).0
                #expect(status == .ok, "token \(token)")
            }
            for token in ["old-token-0123456789,new-token-9876543210", "old-token-0123456789,", "new-token",
                          "", "x"] {
                let status = try await http.putRates("2026-11-27", body, token: token).0
                #expect(status == .unauthorized, "token \(token)")
            }
        }
    }

    @Test(arguments: ["a,b,c", ",", "a,", ",b", "a b", "a,,b"])
    func moreThanTwoOrEmptyTokensStopTheServer(value: String) {
        #expect(throws: SettingsError.self) { try Settings(environment: ["FX_ADMIN_TOKEN": value]) }
    }
}
