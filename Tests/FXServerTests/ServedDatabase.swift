import FXPostgres
import FXServer
import FXStorage
import HummingbirdTesting
import Logging
import Testing

/// Runs `body` against a live server built from `environment` alone, as `fxrates serve` builds it, over a fresh
/// database holding the sample ECB history (its name as `DATABASE_URL`), once the replica is ready.
func withServedDatabase(
    _ environment: [String: String] = [:],
    _ body: @Sendable (_ http: any TestClientProtocol, _ database: PostgresClient) async throws -> Void
) async throws {
    try await TestPostgres.withDatabase { client, name in
        _ = try await ECBImporter(client: client).importHistory(sampleECB)
        let settings = try Settings(environment: environment.merging(
            ["FX_PORT": "0", "DATABASE_URL": TestPostgres.url(ofDatabase: name)]) { $1 })
        var application = ApplicationEnvironment()
        application.today = { testToday }
        let app = try buildApplication(settings: settings, environment: application,
                                       logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await app.test(.live) { http in
            let ready = try await eventually { try await http.getJSON("/ready").0 == .ok }
            #expect(ready, "the replica becomes ready")
            try await body(http, client)
        }
    }
}
