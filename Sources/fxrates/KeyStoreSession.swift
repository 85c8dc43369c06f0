import ArgumentParser
import FXAPIKeys
import FXLifecycle
import FXPostgres
import Foundation
import Logging

/// Runs one `fxrates keys` command against the database in `DATABASE_URL`, turning failures into
/// one line on standard error and a non-zero exit.
enum KeyStoreSession {
    static func run<Result>(_ body: (PostgresAPIKeyStore) async throws -> Result) async throws -> Result {
        // Standard output carries only the command's answer (for `create`, the key); the pool's routine
        // lines would only be noise around it.
        let settings = try loadSettings()
        bootstrapCommandLogging(settings)
        var logger = Logger(label: "fxrates.keys")
        logger.logLevel = .error
        let client = try requiredPostgresClient(settings, logger: logger)
        do {
            return try await withRunning(client, logger: logger) { try await body(PostgresAPIKeyStore(client: $0)) }
        } catch let error as ExitCode {
            throw error
        } catch let error as PostgresError {
            throw failure("PostgreSQL at \(client.configuration.maskedConnectionString) failed: \(error.message)")
        } catch {
            throw failure("\(error)")
        }
    }

    /// A line for the operator on standard error, so standard output stays machine-readable.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("fxrates: \(message)\n".utf8))
    }
}
