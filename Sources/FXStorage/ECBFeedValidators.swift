import FXPostgres

/// The `ETag` and `Last-Modified` of the last feed imported from a URL (table `ecb_feed_validators`), sent
/// back as `If-None-Match` and `If-Modified-Since` by the next sync from any machine.
public struct ECBFeedValidators: Sendable, Equatable {
    public var etag: String?
    public var lastModified: String?

    public init(etag: String?, lastModified: String?) {
        self.etag = etag
        self.lastModified = lastModified
    }

    /// Longer values are not kept: a header that long is not a validator worth replaying, and the row stays small.
    static let maximumLength = 512

    /// What was stored for `url`; nil when no feed from it was imported yet.
    public static func stored(for url: String, in client: PostgresClient) async throws -> ECBFeedValidators? {
        let rows = try await client.query(
            "SELECT etag, last_modified FROM ecb_feed_validators WHERE url = $1", [.text(url)])
        guard let row = rows.first else { return nil }
        return ECBFeedValidators(etag: try row.decode(String?.self, column: "etag"),
                                 lastModified: try row.decode(String?.self, column: "last_modified"))
    }

    /// Records these validators for `url`, in the transaction that imported its feed.
    public func store(for url: String, in transaction: PostgresTransaction) async throws {
        func kept(_ value: String?) -> PostgresValue? {
            value.flatMap { $0.utf8.count <= Self.maximumLength ? .text($0) : nil }
        }
        _ = try await transaction.query(
            """
            INSERT INTO ecb_feed_validators (url, etag, last_modified, imported_at) VALUES ($1, $2, $3, now())
            ON CONFLICT (url) DO UPDATE
            SET etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified, imported_at = now()
            """,
            [.text(url), kept(etag), kept(lastModified)])
    }
}
