import ArgumentParser
import FXServer
import Foundation
import Logging

struct RevokeKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke an API key by id; servers stop accepting it at once through Redis, or within 30 s.",
        discussion: """
            Example:
              export DATABASE_URL=postgresql://fxrates@127.0.0.1/fxrates
              REDIS_URL=redis://127.0.0.1:6379 fxrates keys revoke 7
            """)

    @Argument(help: "The key's id, as `fxrates keys list` shows it.")
    var id: Int64

    func run() async throws {
        let revoked = try await KeyStoreSession.run { store in
            guard let record = try await store.revoke(id: id) else {
                KeyStoreSession.note("no API key with id \(id)")
                throw ExitCode.failure
            }
            return record
        }
        let settings = try loadSettings()
        await announce(.apiKeys, settings: settings, logger: Logger(label: "fxrates.keys"))
        let at = revoked.revokedAt?.formatted(.iso8601) ?? "-"
        print("revoked API key \(revoked.id) of tenant \(revoked.tenant) at \(at)")
    }
}
