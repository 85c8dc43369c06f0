import ArgumentParser
import FXCore
import Foundation

/// Prints the new key alone on standard output, once; its id, tenant and limits go to standard error.
struct CreateKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create an API key and print it; only its SHA-256 is stored.",
        discussion: """
            Prints the key alone on standard output, so a script can take it: key=$(fxrates keys create …).

            Example:
              export DATABASE_URL=postgresql://fxrates@127.0.0.1/fxrates
              fxrates keys create --tenant acme --limits "600/minute;100000/day"
            """)

    @Option(help: "The tenant the key belongs to: 1 to 64 of A-Z a-z 0-9 . _ -")
    var tenant: String

    @Option(help: "Request limits, N/unit(;N/unit)* with units second, minute, hour, day, e.g. \"600/minute;100000/day\".",
            transform: { spec in try LimitPolicy(parsing: spec) })
    var limits: LimitPolicy?

    @Option(help: "When the key stops working: a date (2027-01-01, meaning 00:00 UTC) or an ISO 8601 time; in the future.",
            transform: KeyExpiry.parse)
    var expires: Date?

    func validate() throws {
        if let expires, expires <= Date() { throw ValidationError("--expires must be in the future") }
    }

    func run() async throws {
        let created = try await KeyStoreSession.run { store in
            try await store.create(tenant: tenant, limits: limits, expiresAt: expires)
        }
        print(created.key.text)
        KeyStoreSession.note("created API key \(created.id) for tenant \(created.tenant)"
            + " with limits \(created.limits?.description ?? "default")"
            + (created.expiresAt.map { ", expiring at \($0.formatted(.iso8601))" } ?? "") + "; it is not shown again")
    }
}
