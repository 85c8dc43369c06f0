import ArgumentParser

@main
struct FXRates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fxrates",
        abstract: "Currency conversion and exchange-rate HTTP API.",
        discussion: """
            Settings come from the environment (see the README's Configuration). Without DATABASE_URL the server
            serves the ECB history built into the binary.

            Examples:
              fxrates                       serve on 127.0.0.1:8080 (the same as `fxrates serve`)
              FX_PORT=9000 fxrates serve
              fxrates keys create --tenant acme --limits "600/minute;100000/day"
              fxrates <subcommand> --help   each subcommand's own example
            """,
        version: versionLine,
        subcommands: [Serve.self, Migrate.self, Import.self, Keys.self, HealthCheck.self],
        defaultSubcommand: Serve.self
    )
}
