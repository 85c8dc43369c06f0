import ArgumentParser
import FXAPIKeys
import FXPostgres
import Foundation
import Logging

/// Runs one `fxrates keys` command against the database in `DATABASE_URL`, turning failures into
/// one line on standard error and a non-zero exit.
enum KeyStoreSession {
    static func run<Result>(_ body: (PostgresAPIKeyStore) async throws -> Result) async throws -> Result {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            note("DATABASE_URL is not set; `fxrates keys` needs the PostgreSQL database that holds the keys")
            throw ExitCode(2)
        }
        // Standard output carries only the command's answer (for `create`, the key).
        var logger = Logger(label: "fxrates.keys") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .error
        let configuration = PostgresClientConfiguration(connectionString: url)
        let client = PostgresClient(configuration: configuration, logger: logger)
        do {
            let result = try await body(PostgresAPIKeyStore(client: client))
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            switch error {
            case is ExitCode:
                throw error
            case let error as PostgresError:
                note("PostgreSQL at \(configuration.maskedConnectionString) failed: \(error.message)")
            default:
                note("\(error)")
            }
            throw ExitCode.failure
        }
    }

    /// A line for the operator on standard error, so standard output stays machine-readable.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("fxrates: \(message)\n".utf8))
    }
}
