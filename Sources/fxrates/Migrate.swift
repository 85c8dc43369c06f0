import ArgumentParser
import FXLifecycle
import FXPostgres
import Logging

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations to DATABASE_URL. Safe to run twice or from several replicas at once.")

    func run() async throws {
        let settings = try loadSettings()
        bootstrapLogging(settings)
        let logger = Logger(label: "fxrates")
        try await withRunning(try requiredPostgresClient(settings, logger: logger), logger: logger) { client in
            do {
                let applied = try await Migrator(client: client, logger: logger).migrate()
                logger.info("database schema is current", metadata: ["migrations.applied": "\(applied.map(\.version))"])
            } catch let error as MigrationError {
                throw failure("cannot migrate: \(error)")
            } catch let error as PostgresError {
                throw failure("cannot migrate: \(error)")
            }
        }
    }
}
