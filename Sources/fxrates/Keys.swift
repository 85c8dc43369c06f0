import ArgumentParser

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke API keys in the database named by DATABASE_URL.",
        discussion: """
            Example:
              export DATABASE_URL=postgresql://fxrates@127.0.0.1/fxrates
              fxrates keys create --tenant acme --expires 2027-01-01
              fxrates keys list
              fxrates keys revoke 1
            """,
        subcommands: [CreateKey.self, ListKeys.self, RevokeKey.self]
    )
}
