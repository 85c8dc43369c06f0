import ArgumentParser
import FXLifecycle
import FXPostgres
import Logging

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations to DATABASE_URL. Safe to run twice or from several replicas at once.",
        discussion: """
            Prints one line on standard output; logs go to standard error (text on a terminal, else JSON).

            Example:
              export DATABASE_URL=postgresql://fxrates@127.0.0.1/fxrates
              fxrates migrate
              applied 3 migrations (1, 2, 3) in 0.1 s; the schema is current
            """)

    func run() async throws {
        let settings = try loadSettings()
        bootstrapCommandLogging(settings)
        let logger = Logger(label: "fxrates")
        let started = ContinuousClock.now
        try await withRunning(try requiredPostgresClient(settings, logger: logger), logger: logger) { client in
            do {
                let applied = try await Migrator(client: client, logger: logger).migrate()
                logger.info("database schema is current", metadata: ["migrations.applied": "\(applied.map(\.version))"])
                let took = ResultLine.seconds(ContinuousClock.now - started)
                print(applied.isEmpty
                    ? "the schema is current; no migration to apply (\(took))"
                    : "applied \(applied.count) migration\(applied.count == 1 ? "" : "s")"
                        + " (\(applied.map { "\($0.version)" }.joined(separator: ", "))) in \(took); the schema is current")
            } catch let error as MigrationError {
                throw failure("cannot migrate: \(error)")
            } catch let error as PostgresError {
                throw failure("cannot migrate: \(error)")
            }
        }
    }
}
