import ArgumentParser
import FXECBSync
import FXLifecycle
import FXPostgres
import FXServer
import FXStorage
import Foundation
import Logging

struct SyncECB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecb",
        abstract: "Fetch the ECB euro reference rates and import what is new. Running it again changes nothing.",
        discussion: """
            Sends the ETag and Last-Modified of the last feed imported from the URL (stored in PostgreSQL), so an \
            unchanged feed costs a 304 and no import. Never deletes a rate. Tells running replicas through \
            REDIS_URL when rates changed. Prints one line on standard output; logs go to standard error (text on \
            a terminal, else JSON).

            Exit codes: 0 imported or nothing new; 1 the feed could not be fetched (after the retries) or \
            stored, or the schema is not current; 2 a usage or configuration error (DATABASE_URL unset, a bad --url); \
            3 the feed was fetched but is not a valid ECB feed (nothing was imported).

            Example:
              export DATABASE_URL=postgresql://fxrates@127.0.0.1/fxrates
              fxrates sync ecb                 today's rates (what the CronJob runs)
              fxrates sync ecb --feed 90d      the last 90 days, after a missed day
              fxrates sync ecb --url http://mirror.internal/eurofxref-daily.xml
            """)

    @Option(help: "The feed: daily (the last working day), 90d (the last 90 days) or hist (the whole history, a zip).")
    var feed: ECBFeed = .daily

    @Option(help: ArgumentHelp("Fetch from this URL instead of the ECB's (https:// or http://, e.g. an internal mirror); the body must have the --feed's format.",
                               valueName: "url"))
    var url: String?

    @Option(help: "Seconds one request may take, connect to last byte (1-600).")
    var timeout: Int = 30

    @Option(help: "Attempts in all before giving up (1-10); timeouts, refused connections and 5xx are retried with backoff.")
    var attempts: Int = 4

    func validate() throws {
        guard (1...600).contains(timeout) else { throw ValidationError("--timeout must be 1-600 seconds") }
        guard (1...10).contains(attempts) else { throw ValidationError("--attempts must be 1-10") }
    }

    func run() async throws {
        let settings = try loadSettings()
        bootstrapCommandLogging(settings)
        let logger = Logger(label: "fxrates")
        let started = ContinuousClock.now
        var options = ECBSyncOptions()
        options.requestTimeout = .seconds(timeout)
        options.attempts = attempts
        try await withRunning(try requiredPostgresClient(settings, logger: logger), logger: logger) { client in
            do {
                let gate = SchemaGate(migrator: try Migrator(client: client, logger: logger), autoMigrate: settings.autoMigrate)
                try await gate.prepare()
                let result = try await ECBSync(database: client, options: options, logger: logger).run(feed, url: url)
                let elapsed = ResultLine.seconds(ContinuousClock.now - started)
                switch result {
                case .notModified(let file):
                    logger.info("the ECB feed has not changed", metadata: ["file": "\(file)"])
                    print("nothing new (304) at \(file), in \(elapsed)")
                case .imported(let file, let summary, let days):
                    logger.info("synced the ECB feed", metadata: [
                        "file": "\(file)", "newest": "\(days.upperBound)", "values": "\(summary.values)",
                        "dates": "\(summary.dates)", "rows_changed": "\(summary.changedRows)",
                    ])
                    let dates = summary.dates == 1 ? "1 date (\(days.upperBound))"
                        : "\(ResultLine.grouped(summary.dates)) dates (\(days.lowerBound) to \(days.upperBound))"
                    print("synced \(file): \(dates), \(ResultLine.grouped(summary.values)) values, "
                        + "\(ResultLine.grouped(summary.changedRows)) changed, in \(elapsed)")
                    if summary.changedRows > 0 { await announce(.allRates, settings: settings, logger: logger) }
                }
            } catch let error as ECBSyncError {
                switch error {
                case .invalidURL: throw failure("--url: \(error)", code: 2)
                case .malformed: throw failure("\(error)", code: 3)
                case .unreachable, .refused, .tooLarge: throw failure("\(error)")
                }
            } catch let error as SchemaNotCurrentError {
                throw failure("\(error)")
            } catch let error as PostgresError {
                throw failure("sync failed, nothing was imported: \(error)")
            }
        }
    }
}

extension ECBFeed: ExpressibleByArgument {}
