import FXPostgres
import FXServer
import FXStorage
import Logging

/// The PostgreSQL client of a command that cannot work without `DATABASE_URL`.
func requiredPostgresClient(_ settings: Settings, logger: Logger) throws -> PostgresClient {
    guard let url = settings.databaseURL else {
        throw failure("DATABASE_URL is not set: it must name the PostgreSQL database (libpq connection string or URI)", code: 2)
    }
    return PostgresClient(configuration: .init(connectionString: url), logger: logger)
}
