import ArgumentParser

@main
struct FXRates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fxrates",
        abstract: "Currency conversion and exchange-rate HTTP API.",
        discussion: """
            Settings come from the environment (see the README's Configuration). Without DATABASE_URL, `serve` serves the ECB history built into the binary.

            Examples:
              fxrates serve                 serve on 127.0.0.1:8080 (also the default)
              FX_PORT=9000 fxrates
              fxrates migrate               the schema of the database at DATABASE_URL
              fxrates sync ecb              today's ECB reference rates (the CronJob runs this)
              fxrates keys create --tenant acme
              fxrates keys --help           every subcommand has its own example
            """,
        version: versionLine,
        subcommands: [Serve.self, Migrate.self, Import.self, Sync.self, Keys.self, HealthCheck.self],
        defaultSubcommand: Serve.self
    )
}
