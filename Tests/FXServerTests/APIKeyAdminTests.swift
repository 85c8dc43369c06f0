import FXAPIKeys
import FXCore
import FXPostgres
import FXSupport
import Testing
import FXTestSupport

@Suite("Managing API keys (what `fxrates keys` runs)", .enabled(if: TestDatabase.isConfigured))
struct APIKeyAdminTests {
    @Test func createStoresOnlyTheHash() async throws {
        try await TestPostgres.withDatabase { client, _ async throws in
            let created = try await PostgresAPIKeyStore(client: client)
                .create(tenant: "acme", limits: try LimitPolicy(parsing: "10/second;600/minute"))
            let rows = try await client.query("SELECT key_hash, limits, row_to_json(api_keys)::text AS everything FROM api_keys")
            #expect(rows.count == 1)
            #expect(try rows[0].decode([UInt8].self, column: "key_hash") == MessageDigest.sha256(Array(created.key.text.utf8)))
            #expect(try rows[0].decode(String.self, column: "limits") == "10/second;600/minute")
            #expect(try !rows[0].decode(String.self, column: "everything").contains(created.key.text.dropFirst(3)))
        }
    }

    @Test func listShowsEveryKeyAndRevokeMarksOne() async throws {
        try await TestPostgres.withDatabase { client, _ async throws in
            let store = PostgresAPIKeyStore(client: client)
            let first = try await store.create(tenant: "acme", limits: nil)
            let second = try await store.create(tenant: "beta", limits: try LimitPolicy(parsing: "5/hour"))
            let revoked = try #require(try await store.revoke(id: first.id))
            #expect(revoked.tenant == "acme")
            let revokedAt = try #require(revoked.revokedAt)

            let again = try #require(try await store.revoke(id: first.id))
            #expect(again.revokedAt == revokedAt)

            let listed = try await store.list()
            #expect(listed.map(\.id) == [first.id, second.id])
            #expect(listed.map(\.tenant) == ["acme", "beta"])
            #expect(listed.map(\.limits) == [nil, "5/hour"])
            #expect(listed.map { $0.revokedAt != nil } == [true, false])
        }
    }

    @Test func revokingAnUnknownIDFindsNothing() async throws {
        try await TestPostgres.withDatabase { client, _ async throws in
            #expect(try await PostgresAPIKeyStore(client: client).revoke(id: 4242) == nil)
        }
    }

    @Test(arguments: ["", "has space", "tab\t", "ünicode", String(repeating: "a", count: 65), "semi;colon"])
    func invalidTenantsAreRefused(tenant: String) async throws {
        try await TestPostgres.withDatabase { client, _ async throws in
            await #expect(throws: InvalidTenant.self) {
                try await PostgresAPIKeyStore(client: client).create(tenant: tenant, limits: nil)
            }
            #expect(try await client.query("SELECT 1 FROM api_keys").isEmpty)
        }
    }
}
