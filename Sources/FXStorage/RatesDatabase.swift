import FXAPIKeys
import FXCore
import FXPostgres
import Logging
import ServiceLifecycle

/// Everything `serve` keeps in PostgreSQL, over one connection pool: the schema check, the rate history,
/// rate writes and API keys. The HTTP layer builds on this and never sees libpq or SQL.
///
/// It is the `Service` that owns the pool: run it (the application adds it to its services) before
/// anything here is used.
public struct RatesDatabase: Service {
    private let client: PostgresClient
    private let autoMigrate: Bool
    private let logger: Logger

    /// - Parameter autoMigrate: `FX_MIGRATE=auto`: apply pending migrations before serving.
    public init(connectionString: String, autoMigrate: Bool, logger: Logger) {
        self.client = PostgresClient(configuration: .serving(connectionString), logger: logger)
        self.autoMigrate = autoMigrate
        self.logger = logger
    }

    public func run() async throws {
        try await client.run()
    }

    /// Whether `text` is a connection string libpq accepts, for checking `DATABASE_URL` at startup.
    public static func isValidConnectionString(_ text: String) -> Bool {
        PostgresClientConfiguration.isValidConnectionString(text)
    }

    public func schemaGate() throws -> SchemaGate {
        SchemaGate(migrator: try Migrator(client: client, logger: logger), autoMigrate: autoMigrate)
    }

    public var history: RateHistoryLoader { RateHistoryLoader(client: client) }
    public var writer: RatesWriter { RatesWriter(client: client) }
    public var apiKeys: PostgresAPIKeyStore { PostgresAPIKeyStore(client: client) }
}

extension PostgresClientConfiguration {
    /// For `serve`: requests wait on API key lookups and admin writes, so an unreachable database must
    /// turn into a 503 within seconds rather than hang them.
    static func serving(_ connectionString: String) -> PostgresClientConfiguration {
        var configuration = PostgresClientConfiguration(connectionString: connectionString)
        configuration.connectTimeoutSeconds = 2
        configuration.connectionAcquireTimeout = .seconds(2)
        return configuration
    }
}
