import ArgumentParser

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke API keys in the database named by DATABASE_URL.",
        subcommands: [CreateKey.self, ListKeys.self, RevokeKey.self]
    )
}
