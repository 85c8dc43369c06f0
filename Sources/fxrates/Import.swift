import ArgumentParser

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load rates into the database at DATABASE_URL.",
        discussion: """
            Example:
              export DATABASE_URL=postgresql://fxrates@127.0.0.1/fxrates
              fxrates import ecb data/eurofxref-hist.zip
            """,
        subcommands: [ImportECB.self])
}
