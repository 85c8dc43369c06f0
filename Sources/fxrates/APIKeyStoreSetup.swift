import FXAPIKeys
import FXCore
import FXPostgres
import Foundation
import Logging

/// The API key store `serve` reads: PostgreSQL when `DATABASE_URL` is set, with the client to run as a
/// service; otherwise the empty store, so that every presented key is unknown.
func makeAPIKeyStore(logger: Logger) -> (store: any APIKeyStore, client: PostgresClient?) {
    guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
        logger.info("no DATABASE_URL: no API keys exist, /v1 is anonymous unless FX_REQUIRE_API_KEY=true")
        return (EmptyAPIKeyStore(), nil)
    }
    var configuration = PostgresClientConfiguration(connectionString: url)
    // A request waits on an uncached key's lookup: an unreachable database must become a 503 quickly.
    configuration.connectTimeoutSeconds = 2
    configuration.connectionAcquireTimeout = .seconds(2)
    let client = PostgresClient(configuration: configuration, logger: logger)
    return (PostgresAPIKeyStore(client: client), client)
}
