import ArgumentParser

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch new rates from their publisher into the database at DATABASE_URL.",
        discussion: """
            Example:
              export DATABASE_URL=postgresql://fxrates@127.0.0.1/fxrates
              fxrates sync ecb
            """,
        subcommands: [SyncECB.self])
}
