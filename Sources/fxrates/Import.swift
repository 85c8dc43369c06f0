import ArgumentParser

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load rates into the database at DATABASE_URL.", subcommands: [ImportECB.self])
}
