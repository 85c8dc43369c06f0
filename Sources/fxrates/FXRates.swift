import ArgumentParser

@main
struct FXRates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fxrates",
        abstract: "Currency conversion and exchange-rate HTTP API.",
        subcommands: [Serve.self, Migrate.self, Import.self, Keys.self, HealthCheck.self],
        defaultSubcommand: Serve.self
    )
}
