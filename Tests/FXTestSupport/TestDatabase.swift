import FXLifecycle
import FXPostgres
import Foundation
import Logging

/// Access to the PostgreSQL server that `scripts/run-swift-tests.sh` starts; tests that need it are skipped
/// without it. Shared by the test targets.
public enum TestDatabase {
    public static let url = ProcessInfo.processInfo.environment["FX_TEST_DATABASE_URL"]
    public static var isConfigured: Bool { url != nil }

    public static let logger: Logger = {
        var logger = Logger(label: "fxrates.tests")
        logger.logLevel = .critical
        return logger
    }()

    public static func makeClient(
        url: String? = nil,
        configure: (inout PostgresClientConfiguration) -> Void = { _ in }
    ) -> PostgresClient {
        var configuration = PostgresClientConfiguration(connectionString: url ?? self.url!)
        configuration.maximumConnections = 4
        // The suite shares two cores with PostgreSQL: tests about results get patient timeouts, so a busy
        // machine does not fail them; tests about timeouts set their own.
        configuration.connectionAcquireTimeout = .seconds(60)
        configuration.statementTimeout = .seconds(60)
        configuration.queryTimeout = .seconds(65)
        configure(&configuration)
        return PostgresClient(configuration: configuration, logger: logger)
    }

    /// Runs `body` with the URL of a fresh, empty database that is dropped afterwards,
    /// so schema-changing tests can run in parallel.
    @discardableResult
    public static func withFreshDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        try await withRunning(makeClient()) { admin in
            let name = "fxtest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            _ = try await admin.query("CREATE DATABASE \(name)")
            var components = URLComponents(string: url!)!
            components.path = "/" + name
            let result: T
            do {
                result = try await body(components.string!)
            } catch {
                _ = try? await admin.query("DROP DATABASE \(name) WITH (FORCE)")
                throw error
            }
            _ = try await admin.query("DROP DATABASE \(name) WITH (FORCE)")
            return result
        }
    }
}
