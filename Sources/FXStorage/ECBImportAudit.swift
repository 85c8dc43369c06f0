/// Who an import's audit row names, and the feed it came from when it came over HTTP.
public struct ECBImportAudit: Sendable {
    /// `cli:import` for a file, `cli:sync` for a feed.
    public let actor: String
    public let url: String?

    public init(actor: String, url: String? = nil) {
        self.actor = actor
        self.url = url
    }
}
