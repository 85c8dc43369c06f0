import FXPostgres
import Foundation
import Logging

/// The PostgreSQL server started by `scripts/run-swift-tests.sh`; each test gets its own database.
enum TestDatabase {
    static let url = ProcessInfo.processInfo.environment["FX_TEST_DATABASE_URL"]
    static var isConfigured: Bool { url != nil }

    static let logger: Logger = {
        var logger = Logger(label: "fxrates.server.tests.postgres")
        logger.logLevel = .error
        return logger
    }()

    static func makeClient(url: String) -> PostgresClient {
        var configuration = PostgresClientConfiguration(connectionString: url)
        configuration.maximumConnections = 4
        return PostgresClient(configuration: configuration, logger: logger)
    }

    /// Runs `body` with a client of a fresh database with the fxrates schema; drops the database afterwards.
    static func withMigratedDatabase<T>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        let admin = makeClient(url: url!)
        let name = "fxtest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        _ = try await admin.query("CREATE DATABASE \(name)")
        var components = URLComponents(string: url!)!
        components.path = "/" + name
        let client = makeClient(url: components.string!)
        let outcome: Result<T, any Error>
        do {
            _ = try await Migrator(client: client, logger: logger).migrate()
            outcome = .success(try await body(client))
        } catch {
            outcome = .failure(error)
        }
        await client.shutdown()
        _ = try? await admin.query("DROP DATABASE \(name) WITH (FORCE)")
        await admin.shutdown()
        return try outcome.get()
    }
}
