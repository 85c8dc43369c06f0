import ArgumentParser
import FXLifecycle
import FXPostgres
import FXServer
import FXStorage
import Foundation
import Logging

struct ImportECB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecb",
        abstract: "Import the ECB euro reference rates history (eurofxref-hist.zip or its CSV). Importing it again changes nothing.",
        discussion: """
            Prints one line on standard output; progress and logs go to standard error (text on a terminal, else JSON).

            Example:
              export DATABASE_URL=postgresql://fxrates@127.0.0.1/fxrates
              fxrates import ecb data/eurofxref-hist.zip
              imported 221,702 values on 7,126 dates, 221,702 changed, in 4.2 s
            """)

    @Flag(help: "Insert only the rows that are absent and overwrite nothing, so admin corrections survive (for deploy Jobs).")
    var onlyMissing = false

    @Argument(help: "The ECB history: eurofxref-hist.zip as shipped, or eurofxref-hist.csv.")
    var file: String

    func run() async throws {
        let settings = try loadSettings()
        bootstrapCommandLogging(settings)
        let logger = Logger(label: "fxrates")
        let started = ContinuousClock.now
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw failure("cannot read \(file): \(error.localizedDescription)")
        }
        try await withRunning(try requiredPostgresClient(settings, logger: logger), logger: logger) { client in
            do {
                let gate = SchemaGate(migrator: try Migrator(client: client, logger: logger), autoMigrate: settings.autoMigrate)
                try await gate.prepare()
                let summary = try await ECBImporter(client: client).importHistory(
                    data, mode: onlyMissing ? .onlyMissing : .upsert, progress: ImportProgressLine.report)
                ImportProgressLine.finish()
                logger.info("imported the ECB history", metadata: [
                    "file": "\(file)", "values": "\(summary.values)", "dates": "\(summary.dates)",
                    "rows_changed": "\(summary.changedRows)",
                ])
                print("imported \(ResultLine.grouped(summary.values)) values on \(ResultLine.grouped(summary.dates)) dates, "
                    + "\(ResultLine.grouped(summary.changedRows)) changed, in \(ResultLine.seconds(ContinuousClock.now - started))")
                if summary.changedRows > 0 { await announce(.allRates, settings: settings, logger: logger) }
            } catch let error as ECBImportError {
                ImportProgressLine.finish()
                throw failure("\(file): \(error); nothing was imported")
            } catch let error as SchemaNotCurrentError {
                throw failure("\(error)")
            } catch let error as PostgresError {
                ImportProgressLine.finish()
                throw failure("import failed, nothing was imported: \(error)")
            }
        }
    }
}
