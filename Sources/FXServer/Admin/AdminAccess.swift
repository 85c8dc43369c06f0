/// What the admin routes need; without it (no `DATABASE_URL` or no `FX_ADMIN_TOKEN`) they do not exist.
public struct AdminAccess: Sendable {
    public var service: AdminRatesService
    /// One token, or two while it is rotated (`FX_ADMIN_TOKEN=old,new`).
    public var tokens: [String]

    public init(service: AdminRatesService, tokens: [String]) {
        self.service = service
        self.tokens = tokens
    }

    public init(service: AdminRatesService, token: String) {
        self.init(service: service, tokens: [token])
    }
}
