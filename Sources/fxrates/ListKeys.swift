import ArgumentParser
import Foundation

/// Prints one tab-separated line per key (header first); `-` stands for none. `last_used` is written at
/// most once a minute per key and replica, so it may lag by that much.
struct ListKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List API keys (id, tenant, limits, created, expires, last used, revoked), never their secrets.",
        discussion: """
            Example:
              export DATABASE_URL=postgresql://fxrates@127.0.0.1/fxrates
              fxrates keys list | column -t -s $'\\t'
            """)

    func run() async throws {
        let records = try await KeyStoreSession.run { store in try await store.list() }
        print(["id", "tenant", "limits", "created", "expires", "last_used", "revoked"].joined(separator: "\t"))
        for record in records {
            print([
                String(record.id), record.tenant, record.limits ?? "-", record.createdAt.formatted(.iso8601),
                record.expiresAt?.formatted(.iso8601) ?? "-", record.lastUsedAt?.formatted(.iso8601) ?? "-",
                record.revokedAt?.formatted(.iso8601) ?? "-",
            ].joined(separator: "\t"))
        }
    }
}
